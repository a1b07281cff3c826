//! `warren-split DIR`: the page's build step after Trunk (Trunk.toml's post_build hook, with
//! Trunk's staging directory). Splits `warren-app-*_bg.wasm` into the first load (the functions
//! `www/first-load.txt` names) and a lazy module beside it, adds the loader to the wasm-bindgen
//! glue, and updates index.html's integrity hashes.
//!
//! `warren-split --instrument DIR` makes the profiling build instead (scripts/first_load.sh):
//! nothing is split, and each function reports itself when it first runs; the numbers' names go
//! to `warren-app-*_bg.names.txt`.
//!
//! `warren-split --off DIR` leaves the page whole (only its function names go).

mod wasm;

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use sha2::Digest as _;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const PROFILE: &str = "www/first-load.txt";

fn main() {
    if let Err(e) = run(std::env::args().skip(1).collect()) {
        eprintln!("warren-split: {e:#}");
        std::process::exit(1);
    }
}

fn run(args: Vec<String>) -> Result<()> {
    let (mode, dir) = match args.as_slice() {
        [dir] => ("split", dir),
        [flag, dir] if flag == "--instrument" => ("instrument", dir),
        [flag, dir] if flag == "--off" => ("off", dir),
        _ => bail!("usage: warren-split [--instrument|--off] DIR (Trunk's staging directory)"),
    };
    let dir = Path::new(dir);
    let wasm_path = only(dir, "warren-app-", "_bg.wasm")?;
    let glue_path = only(dir, "warren-app-", ".js")?;
    let stem = wasm_path
        .file_name()
        .and_then(|n| n.to_str())
        .context("file name")?
        .trim_end_matches(".wasm")
        .to_string();
    let bytes = std::fs::read(&wasm_path).with_context(|| format!("reading {}", wasm_path.display()))?;
    let glue = std::fs::read_to_string(&glue_path).with_context(|| format!("reading {}", glue_path.display()))?;

    let (first, lazy_file) = if mode == "off" {
        (wasm::without_names(&bytes)?, String::new())
    } else if mode == "instrument" {
        let (first, names) = wasm::instrument(&bytes)?;
        std::fs::write(dir.join(format!("{stem}.names.txt")), names.join("\n") + "\n")?;
        (first, String::new())
    } else {
        let profile = std::fs::read_to_string(PROFILE).with_context(|| format!("reading {PROFILE}"))?;
        let keep: HashSet<String> = profile
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        let s = wasm::split(&bytes, &keep)?;
        let lazy_file = format!("{stem}.lazy.wasm");
        // which function a stub stands for, by its table slot (the loader's `slot`)
        let stubs: String = s.names.iter().map(|(slot, name)| format!("{slot} {name}\n")).collect();
        std::fs::create_dir_all("target")?;
        std::fs::write("target/split-stubs.txt", stubs)?;
        std::fs::write(dir.join(&lazy_file), &s.lazy)?;
        eprintln!(
            "warren-split: first load {} KB, lazy {} KB (raw); {} functions moved, {} through stubs",
            s.first.len() / 1024,
            s.lazy.len() / 1024,
            s.moved,
            s.stubs
        );
        (s.first, lazy_file)
    };
    let glue_new = if mode == "off" {
        glue.clone()
    } else {
        patch_glue(&glue, &lazy_file)?
    };
    let index = dir.join("index.html");
    let mut html = std::fs::read_to_string(&index).context("reading index.html")?;
    for (old, new) in [
        (glue.as_bytes(), glue_new.as_bytes()),
        (bytes.as_slice(), first.as_slice()),
    ] {
        html = html.replace(&integrity(old), &integrity(new));
    }
    std::fs::write(&wasm_path, &first)?;
    std::fs::write(&glue_path, glue_new)?;
    std::fs::write(&index, html)?;
    Ok(())
}

/// The one file in `dir` named `prefix…suffix` (the worker's files are `warren-tools…`).
fn only(dir: &Path, prefix: &str, suffix: &str) -> Result<PathBuf> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let p = e?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        if name.starts_with(prefix) && name.ends_with(suffix) {
            found.push(p);
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!(
            "expected one {prefix}*{suffix} in {}, found {}",
            dir.display(),
            found.len()
        ),
    }
}

/// The subresource-integrity value Trunk writes for `bytes`.
fn integrity(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes))
    )
}

/// The glue with the loader: its import object gains `warren_lazy`, and the idle fetch starts
/// once the app has started.
fn patch_glue(glue: &str, lazy_file: &str) -> Result<String> {
    let mut out = glue.to_string();
    for (at, add_after) in [
        (
            "\"./warren-app_bg.js\": import0,",
            "\n        \"warren_lazy\": __warren_lazy(import0),",
        ),
        ("wasm.__wbindgen_start();", "\n    __warren_lazy_started();"),
    ] {
        if out.matches(at).count() != 1 {
            bail!("the wasm-bindgen glue has changed: expected `{at}` once (split/src/main.rs)");
        }
        out = out.replacen(at, &format!("{at}{add_after}"), 1);
    }
    out.push_str(&include_str!("loader.js").replace("LAZY_FILE", lazy_file));
    Ok(out)
}
