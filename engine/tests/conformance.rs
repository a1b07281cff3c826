//! The examples in `shared/conformance/`: the engine gives exactly the traces a real RabbitMQ
//! 3.10.8 gave (recorded with pika), and the copies in `tests/conformance/` match the originals.
mod common;

// The topics tutorial: `*` is one word, `#` zero or more; a mandatory unroutable message returns.
golden!(topics_tutorial, "topics", "conformance");
// Fair dispatch with prefetch 1, requeue to the original position, channel and connection errors.
golden!(work_queue, "workqueue", "conformance");
// RPC with a server-named exclusive callback queue and correlation ids.
golden!(rpc_callback_queue, "rpc", "conformance");

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn copies_match_shared() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    if !shared.exists() {
        eprintln!("../shared is not beside the repository: nothing to compare");
        return;
    }
    let ours = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance");
    for entry in std::fs::read_dir(&shared).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap();
        let a = std::fs::read(&p).unwrap();
        let b = std::fs::read(ours.join(name)).unwrap_or_else(|_| panic!("tests/conformance lacks {name:?}"));
        assert!(
            a == b,
            "tests/conformance/{name:?} differs from shared/conformance: copy it again"
        );
    }
}
