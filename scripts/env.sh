# Sourced by the scripts that build the page: cargo's tools (trunk, wasm-bindgen) and the
# page's wasm-opt (binaryen from npm, scripts/wasm-opt) first on PATH. Run from the project root.
export PATH="$PWD/scripts/wasm-opt/node_modules/.bin:$HOME/.cargo/bin:$PATH"
