//! A window with one line of HTML: what any Tauri app on WebKitGTK costs before it does anything.
fn main() {
    tauri::Builder::default().run(tauri::generate_context!()).expect("the hello-world window");
}
