//! The page hands the engine typed steps; files get their JSON form. Both must be the same step:
//! what a file says is what the page ran.
use warren_engine::method::Method;
use warren_engine::scenario::{Call, Login};
use warren_model::design::{Design, Kind};
use warren_model::steps::{on, step_json, step_of, wait, Frame};
use warren_model::tutorial::builtin;

fn designs() -> Vec<Design> {
    let mut out: Vec<Design> = builtin().iter().map(|t| t.design()).collect();
    for text in [
        include_str!("../../tests/designs/fair_dispatch.json"),
        include_str!("../../tests/designs/topic_logs.json"),
    ] {
        out.push(Design::from_file(text).unwrap().0);
    }
    out
}

#[test]
fn a_producers_typed_publish_is_its_json_publish() {
    let mut seen = 0;
    for d in designs() {
        for id in d.ids(Kind::Producer) {
            let Some(typed) = d.publish_call(id, 7) else { continue };
            let json = d.publish_step(id, 7).unwrap();
            assert_eq!(step_of(json.clone()).unwrap(), typed, "{}: {json}", d.name);
            // and on its way to the broker, kept small, it is the same step
            assert_eq!(Frame::of(typed.clone()).step(), typed);
            // as is the frame the page makes for it without a step (its producer's publisher)
            assert_eq!(d.publisher(id).unwrap().frame(7, None).step(), typed, "{}", d.name);
            seen += 1;
        }
    }
    assert!(seen >= 10, "{seen} producers");
}

#[test]
fn every_step_a_client_builds_reads_back_the_same() {
    let login = Login {
        user: Some("alice".into()),
        password: Some("secret".into()),
        vhost: None,
    };
    let mut steps = vec![
        wait(1500),
        on("A", Call::Restart),
        on("w", Call::ConnectionClose),
        on(
            "w",
            Call::Method(Method::BasicAck {
                delivery_tag: 3,
                multiple: false,
            }),
        ),
        on(
            "w",
            Call::Method(Method::BasicNack {
                delivery_tag: 4,
                multiple: true,
                requeue: false,
            }),
        ),
        on(
            "w",
            Call::Method(Method::BasicReject {
                delivery_tag: 5,
                requeue: true,
            }),
        ),
    ];
    let mut with_login = on(
        "w",
        Call::Method(Method::BasicAck {
            delivery_tag: 9,
            multiple: true,
        }),
    );
    with_login.login = login;
    steps.push(with_login);
    for st in steps {
        let json = step_json(&st);
        assert_eq!(step_of(json.clone()).unwrap(), st, "{json}");
        let mut bare = st.clone();
        bare.login = Login::default();
        assert_eq!(Frame::of(bare.clone()).step(), bare);
    }
}
