//! The app's entry point (built with Trunk): mount [`warren_app::app::App`].

fn main() {
    yew::Renderer::<warren_app::app::App>::new().render();
}
