//! The dashboard's files are compiled into the binary (`include_dir!`);
//! this makes Cargo rebuild when one is added, removed or changed.

fn main() {
    println!("cargo:rerun-if-changed=dashboard/assets");
}
