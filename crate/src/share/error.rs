//! Why a link could not be made or opened, in words the page can show as they are.

use std::fmt;

use super::PresetRef;

/// Why a link did not open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Nothing but whitespace.
    Empty,
    /// It does not start with `v<number>.`.
    NotALink,
    /// Longer than [`super::Limits::max_link_len`]; nothing was decoded.
    TooLong { length: usize, limit: usize },
    /// Written by a newer build in a format this one does not know.
    NewerFormat { found: u32, supported: u32 },
    /// A format version that never existed.
    UnknownFormat { found: u32 },
    /// A character that base64url does not use, at a byte offset of the payload.
    BadCharacter { offset: usize, character: char },
    /// The payload ends too early: the link was cut off when copied.
    Truncated,
    /// The payload's checksum does not match: the link was edited or damaged.
    ChecksumMismatch,
    /// The payload is not compressed data.
    Corrupt,
    /// The decompressed envelope would exceed [`super::Limits::max_content_len`].
    TooLarge { limit: usize },
    /// The envelope decompressed but does not hold a scenario this build reads.
    BadContent { place: String, message: String },
    /// A preset reference the app's registry does not know.
    UnknownPreset { place: String, preset: PresetRef },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => f.write_str("the link is empty"),
            DecodeError::NotALink => {
                f.write_str("this is not a share link: it should start with `v1.`")
            }
            DecodeError::TooLong { length, limit } => write!(
                f,
                "the link is {length} characters long, more than the {limit} this page opens"
            ),
            DecodeError::NewerFormat { found, supported } => write!(
                f,
                "the link was made by a newer version (link format {found}; this version reads \
                 formats up to {supported}): open it with the newer version"
            ),
            DecodeError::UnknownFormat { found } => {
                write!(
                    f,
                    "the link has format version {found}, which never existed"
                )
            }
            DecodeError::BadCharacter { offset, character } => write!(
                f,
                "the link has a character that does not belong in it ({character:?} at \
                 position {offset} of the data): it was edited or mangled when copied"
            ),
            DecodeError::Truncated => {
                f.write_str("the link is incomplete: it was probably cut off when copied")
            }
            DecodeError::ChecksumMismatch => {
                f.write_str("the link is damaged: its checksum does not match its content")
            }
            DecodeError::Corrupt => f.write_str("the link is damaged: its data does not unpack"),
            DecodeError::TooLarge { limit } => write!(
                f,
                "the link unpacks to more than {limit} bytes, more than this page opens"
            ),
            DecodeError::BadContent { place, message } => {
                write!(
                    f,
                    "the link does not hold a valid scenario: {place}: {message}"
                )
            }
            DecodeError::UnknownPreset { place, preset } => write!(
                f,
                "{place}: the link uses preset {:?} version {:?}, which this version does not have",
                preset.preset, preset.version
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Why a link could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EncodeError {
    /// A source names a file; a link must carry the text itself.
    FileSource { place: String, path: String },
    /// The envelope's JSON would exceed the content limit.
    TooLarge { size: usize, limit: usize },
    /// The link would exceed the length limit.
    TooLong { length: usize, limit: usize },
    /// The scenario could not be written as JSON.
    Serialize(String),
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::FileSource { place, path } => write!(
                f,
                "{place} names the file {path:?}: a link can only carry inline text, so read \
                 the file into the scenario first"
            ),
            EncodeError::TooLarge { size, limit } => write!(
                f,
                "the scenario is {size} bytes of JSON, more than the {limit} a link may hold"
            ),
            EncodeError::TooLong { length, limit } => write!(
                f,
                "the link would be {length} characters long, more than the {limit} allowed"
            ),
            EncodeError::Serialize(message) => {
                write!(f, "the scenario cannot be written as JSON: {message}")
            }
        }
    }
}

impl std::error::Error for EncodeError {}
