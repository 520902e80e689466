//! Typed errors of the library. Every variant names what it was working on
//! (a file, a line, a document, a tensor shape) so that a user can act on it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: invalid JSON: {source}")]
    Json {
        path: PathBuf,
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path}:{line}: {message}")]
    BadRecord {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("document {doc}: {message}")]
    BadDocument { doc: String, message: String },
    #[error("gazetteer {path}: {message}")]
    Gazetteer { path: PathBuf, message: String },
    #[error("model {path}: {message}")]
    Model { path: PathBuf, message: String },
    #[error("tokenizer {path}: {message}")]
    Tokenizer { path: PathBuf, message: String },
    #[error("torch error while {context}: {source}")]
    Torch {
        context: String,
        #[source]
        source: tch::TchError,
    },
    #[error("{0}")]
    Config(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
    pub fn torch(context: impl Into<String>, source: tch::TchError) -> Self {
        Error::Torch {
            context: context.into(),
            source,
        }
    }
}
