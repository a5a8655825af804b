//! Keras identifiers and JSON: parsing, lossless serde round trips, and errors.

use burn_init::{
    Constant, Distribution, FanMode, GlorotNormal, GlorotUniform, HeNormal, HeUniform, InitError,
    Initializer, LecunNormal, LecunUniform, Ones, Orthogonal, RandomNormal, RandomUniform,
    TruncatedNormal, VarianceScaling, Zeros,
};

#[test]
fn string_identifiers_parse_in_every_spelling() {
    let cases = [
        ("glorot_normal", "GlorotNormal"),
        ("GlorotNormal", "GlorotNormal"),
        ("glorot_uniform", "GlorotUniform"),
        ("he_normal", "HeNormal"),
        ("he_uniform", "HeUniform"),
        ("lecun_normal", "LecunNormal"),
        ("lecun_uniform", "LecunUniform"),
        ("orthogonal", "Orthogonal"),
        ("variance_scaling", "VarianceScaling"),
        ("random_normal", "RandomNormal"),
        ("normal", "RandomNormal"),
        ("uniform", "RandomUniform"),
        ("truncated_normal", "TruncatedNormal"),
        ("zeros", "Zeros"),
        ("zero", "Zeros"),
        ("one", "Ones"),
        ("constant", "Constant"),
    ];
    for (identifier, class) in cases {
        let init: Initializer = identifier.parse().unwrap();
        assert_eq!(init.class_name(), class, "{identifier}");
        let from_json = Initializer::parse(&format!("\"{identifier}\"")).unwrap();
        assert_eq!(from_json.class_name(), class);
        assert_eq!(init.seed().and_then(|seed| seed.requested()), None);
    }
}

#[test]
fn keras_objects_parse_with_their_configs() {
    let init =
        Initializer::parse(r#"{"class_name": "GlorotNormal", "config": {"seed": 42}}"#).unwrap();
    assert_eq!(init, GlorotNormal::new().with_seed(42).into());

    // What Keras 3 writes into a .keras model file.
    let keras3 = r#"{"module": "keras.initializers", "class_name": "HeUniform",
                     "config": {"seed": null}, "registered_name": null}"#;
    assert_eq!(
        Initializer::parse(keras3).unwrap().class_name(),
        "HeUniform"
    );

    let scaling = Initializer::parse(
        r#"{"class_name": "VarianceScaling",
            "config": {"scale": 2.0, "mode": "fan_out", "distribution": "uniform", "seed": 3}}"#,
    )
    .unwrap();
    let expected = VarianceScaling::new(2.0, FanMode::FanOut, Distribution::Uniform)
        .unwrap()
        .with_seed(3);
    assert_eq!(scaling, expected.into());

    // Keras 2's "normal" distribution means truncated normal.
    let legacy = Initializer::parse(
        r#"{"class_name": "VarianceScaling", "config": {"distribution": "normal"}}"#,
    )
    .unwrap();
    let legacy = legacy.variance_scaling().unwrap();
    assert_eq!(legacy.distribution(), Distribution::TruncatedNormal);
    assert_eq!((legacy.scale(), legacy.mode()), (1.0, FanMode::FanIn));

    let constant = Initializer::parse(r#"{"class_name": "Constant", "config": {"value": 0.1}}"#);
    assert_eq!(constant.unwrap(), Constant::new(0.1).unwrap().into());
    let orthogonal =
        Initializer::parse(r#"{"class_name": "Orthogonal", "config": {"gain": 2.0, "seed": 1}}"#);
    let expected = Orthogonal::new().with_gain(2.0).unwrap().with_seed(1);
    assert_eq!(orthogonal.unwrap(), expected.into());
}

#[test]
fn serialization_writes_keras_objects() {
    let json = serde_json::to_value(Initializer::from(GlorotNormal::new().with_seed(42))).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"class_name": "GlorotNormal", "config": {"seed": 42}})
    );
    let untruncated = serde_json::to_value(HeNormal::new().untruncated()).unwrap();
    assert_eq!(
        untruncated,
        serde_json::json!({"class_name": "HeNormal", "config": {"seed": null, "truncated": false}})
    );
}

fn every_initializer() -> Vec<Initializer> {
    vec![
        GlorotNormal::new().with_seed(1).into(),
        GlorotNormal::new().with_seed(1).untruncated().into(),
        GlorotUniform::new().with_seed(2).into(),
        HeNormal::new().with_seed(3).into(),
        HeUniform::new().with_seed(4).into(),
        LecunNormal::new().with_seed(5).untruncated().into(),
        LecunUniform::new().with_seed(6).into(),
        VarianceScaling::new(0.3, FanMode::FanGeoAvg, Distribution::UntruncatedNormal)
            .unwrap()
            .with_seed(u64::MAX)
            .into(),
        Orthogonal::new()
            .with_gain(0.7)
            .unwrap()
            .with_seed(8)
            .into(),
        RandomNormal::new(-0.1, 1e-3).unwrap().with_seed(9).into(),
        RandomUniform::new(-0.3, 0.1).unwrap().with_seed(10).into(),
        TruncatedNormal::new(0.0, 0.02)
            .unwrap()
            .with_seed(11)
            .into(),
        Zeros.into(),
        Ones.into(),
        Constant::new(std::f64::consts::PI).unwrap().into(),
    ]
}

#[test]
fn serde_round_trips_are_lossless() {
    for init in every_initializer() {
        let json = serde_json::to_string(&init).unwrap();
        let back: Initializer = serde_json::from_str(&json).unwrap();
        assert_eq!(back, init, "{json}");
    }
}

#[test]
fn unseeded_initializers_round_trip_as_unseeded() {
    let json = serde_json::to_string(&Initializer::from(HeNormal::new())).unwrap();
    let back: Initializer = serde_json::from_str(&json).unwrap();
    assert_eq!(back.seed().unwrap().requested(), None);
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}

#[test]
fn concrete_types_round_trip_and_check_their_class() {
    let he = HeUniform::new().with_seed(9);
    let json = serde_json::to_string(&he).unwrap();
    assert_eq!(serde_json::from_str::<HeUniform>(&json).unwrap(), he);
    let err = serde_json::from_str::<GlorotNormal>(&json).unwrap_err();
    assert!(err.to_string().contains("expected a GlorotNormal"), "{err}");
}

#[test]
fn initializers_live_inside_user_configs() {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Dense {
        units: usize,
        kernel_initializer: Initializer,
    }
    let dense: Dense =
        serde_json::from_str(r#"{"units": 512, "kernel_initializer": "glorot_normal"}"#).unwrap();
    assert_eq!(dense.kernel_initializer.class_name(), "GlorotNormal");
}

#[test]
fn unknown_names_list_the_valid_ones() {
    let err = "he_sideways".parse::<Initializer>().unwrap_err();
    match &err {
        InitError::UnknownInitializer { name, valid } => {
            assert_eq!(name, "he_sideways");
            assert!(valid.contains(&"he_normal") && valid.contains(&"GlorotUniform"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("glorot_normal"), "{err}");
    let err = Initializer::parse(r#"{"class_name": "Identity"}"#).unwrap_err();
    assert!(matches!(err, InitError::UnknownInitializer { .. }), "{err}");
}

#[test]
fn bad_configs_are_typed_errors_naming_the_class() {
    let cases = [
        (
            r#"{"class_name": "GlorotNormal", "config": {"sed": 4}}"#,
            "GlorotNormal",
        ),
        (
            r#"{"class_name": "HeUniform", "config": {"seed": -1}}"#,
            "HeUniform",
        ),
        (
            r#"{"class_name": "HeUniform", "config": {"seed": "x"}}"#,
            "HeUniform",
        ),
        (
            r#"{"class_name": "Zeros", "config": {"value": 1}}"#,
            "Zeros",
        ),
        (r#"{"class_name": "Ones", "config": 3}"#, "Ones"),
        (r#"{"class_name": "Ones", "configs": {}}"#, "Ones"),
        (r#"{"config": {}}"#, "<json>"),
        (r#"[1, 2]"#, "<json>"),
        (r#"{"class_name": "Zeros""#, "<json>"),
    ];
    for (json, class) in cases {
        match Initializer::parse(json) {
            Err(InitError::InvalidConfig { class_name, .. }) => {
                assert_eq!(class_name, class, "{json}")
            }
            other => panic!("{json}: {other:?}"),
        }
    }
}

#[test]
fn invalid_values_are_rejected_by_the_constructors() {
    let scale = r#"{"class_name": "VarianceScaling", "config": {"scale": 0.0}}"#;
    assert!(matches!(
        Initializer::parse(scale),
        Err(InitError::NotPositive { name: "scale", .. })
    ));
    let mode = r#"{"class_name": "VarianceScaling", "config": {"mode": "fan_sum"}}"#;
    assert!(matches!(
        Initializer::parse(mode),
        Err(InitError::UnknownOption { what: "mode", .. })
    ));
    let distribution = r#"{"class_name": "VarianceScaling", "config": {"distribution": "cauchy"}}"#;
    assert!(matches!(
        Initializer::parse(distribution),
        Err(InitError::UnknownOption {
            what: "distribution",
            ..
        })
    ));
    let gain = r#"{"class_name": "Orthogonal", "config": {"gain": -1.0}}"#;
    assert!(matches!(
        Initializer::parse(gain),
        Err(InitError::NotPositive { name: "gain", .. })
    ));
    let range = r#"{"class_name": "RandomUniform", "config": {"minval": 1.0, "maxval": 0.0}}"#;
    assert!(matches!(
        Initializer::parse(range),
        Err(InitError::EmptyRange { .. })
    ));
    // JSON has no NaN; serde-level errors still name the class.
    let err = serde_json::from_str::<Initializer>(
        r#"{"class_name": "Constant", "config": {"value": "nan"}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("Constant"), "{err}");
}
