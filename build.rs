// Puts libtorch's directory into the binary's RUNPATH, so that `twinrel` runs
// without LD_LIBRARY_PATH. torch-sys exports the directory as
// DEP_TCH_LIBTORCH_LIB because it is a direct dependency of this crate.
fn main() {
    if let Ok(lib) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{lib}");
    }
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
}
