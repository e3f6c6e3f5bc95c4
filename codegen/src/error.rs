//! The one error type of the generator.
//!
//! Every failure names *where* it happened as precisely as the stage knows it: the file, the shape id, the member,
//! and a JSON path into the model (`$.shapes["ns#Shape"].members.Name.target`). Nothing in the generator panics on
//! bad input; it returns one of these instead.

use std::fmt;
use std::path::{Path, PathBuf};

/// A generator failure with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file being read or written, when there is one.
    pub file: Option<PathBuf>,
    /// Where inside the model: a shape id, member, or JSON path.
    pub location: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Result alias used across the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with a message and no location yet.
    pub fn new(message: impl Into<String>) -> Self {
        Error { file: None, location: None, message: message.into() }
    }

    /// An error at a location inside the model.
    pub fn at(location: impl Into<String>, message: impl Into<String>) -> Self {
        Error { file: None, location: Some(location.into()), message: message.into() }
    }

    /// Attach the file this error concerns (kept if one is already set).
    pub fn in_file(mut self, file: &Path) -> Self {
        if self.file.is_none() {
            self.file = Some(file.to_path_buf());
        }
        self
    }

    /// Attach a location (kept if one is already set).
    pub fn with_location(mut self, location: impl Into<String>) -> Self {
        if self.location.is_none() {
            self.location = Some(location.into());
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, &self.location) {
            (Some(file), Some(loc)) => write!(f, "{}: {}: {}", file.display(), loc, self.message),
            (Some(file), None) => write!(f, "{}: {}", file.display(), self.message),
            (None, Some(loc)) => write!(f, "{}: {}", loc, self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

/// The JSON path of a shape in the model, as used in error locations.
pub fn shape_path(id: &str) -> String {
    format!("$.shapes[{}]", serde_json::Value::String(id.to_owned()))
}

/// The JSON path of a member of a shape.
pub fn member_path(id: &str, member: &str) -> String {
    format!("{}.members.{}", shape_path(id), member)
}
