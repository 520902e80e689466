//! twinrel finds where news texts say that two cities are twinned, that a
//! twinning is proposed, or that their ties are called on to be broken.
//!
//! The pipeline runs in stages, one module each, and data flows one way:
//! [`ingest`] → [`sentences`] → [`places`] (with the [`gazetteer`]) →
//! [`candidates`] → [`model`] (scores pairs) → [`aggregate`] → [`output`].

pub mod aggregate;
pub mod candidates;
pub mod error;
pub mod eval;
pub mod gazetteer;
pub mod ingest;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod places;
pub mod sentences;
pub mod train;

pub use error::{Error, Result};

use std::path::PathBuf;

/// The cache directory for large downloads (the libtorch venv, the base
/// encoder, GeoNames): `$TWINREL_CACHE`, else `$XDG_CACHE_HOME/twinrel`, else
/// `~/.cache/twinrel`. `scripts/setup.sh` fills it.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TWINREL_CACHE") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("twinrel");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    home.join(".cache").join("twinrel")
}
