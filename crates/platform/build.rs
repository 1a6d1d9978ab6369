//! `sqlx::migrate!` embeds the migrations at compile time: rebuild when one is added or
//! changed, or a new migration would be missing from the binary until some source changed.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
