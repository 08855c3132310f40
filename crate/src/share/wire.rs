//! The outer form of a link: `v<format>.<payload>`, the payload being base64url (no
//! padding) of the zlib-compressed envelope JSON.
//!
//! zlib rather than raw deflate: its Adler-32 checksum turns most tampering into a clear
//! error instead of a garbled scenario. The version sits outside the compressed part so that
//! a link from a newer format is recognised as such before anything is decompressed.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use miniz_oxide::inflate::TINFLStatus;

use super::{DecodeError, FORMAT_VERSION, Limits};

/// The best compression miniz offers; links are written rarely and read often.
const LEVEL: u8 = 10;

/// The most digits a format version may have; more is not a version.
const MAX_VERSION_DIGITS: usize = 9;

/// `v<format>.` followed by the encoded payload.
pub fn pack(format: u32, json: &[u8]) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(json, LEVEL);
    format!("v{format}.{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// The format version and the decompressed envelope JSON of a link.
pub fn unpack(link: &str, limits: &Limits) -> Result<(u32, Vec<u8>), DecodeError> {
    // Pasted links often carry stray whitespace at either end.
    let link = link.trim();
    if link.is_empty() {
        return Err(DecodeError::Empty);
    }
    if link.len() > limits.max_link_len {
        return Err(DecodeError::TooLong {
            length: link.len(),
            limit: limits.max_link_len,
        });
    }

    let format = version(link)?;
    let payload = &link[link.find('.').map_or(link.len(), |dot| dot + 1)..];
    if format > FORMAT_VERSION {
        return Err(DecodeError::NewerFormat {
            found: format,
            supported: FORMAT_VERSION,
        });
    }
    if format == 0 {
        return Err(DecodeError::UnknownFormat { found: format });
    }

    let compressed = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|error| encoding_error(error, payload.len()))?;
    let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(
        &compressed,
        limits.max_content_len,
    )
    .map_err(|error| match error.status {
        TINFLStatus::HasMoreOutput => DecodeError::TooLarge {
            limit: limits.max_content_len,
        },
        TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
            DecodeError::Truncated
        }
        TINFLStatus::Adler32Mismatch => DecodeError::ChecksumMismatch,
        _ => DecodeError::Corrupt,
    })?;
    Ok((format, json))
}

/// The version in `v<digits>.`.
fn version(link: &str) -> Result<u32, DecodeError> {
    let Some(rest) = link.strip_prefix('v') else {
        return Err(DecodeError::NotALink);
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > MAX_VERSION_DIGITS || rest.as_bytes().get(digits) != Some(&b'.') {
        return Err(DecodeError::NotALink);
    }
    rest[..digits].parse().map_err(|_| DecodeError::NotALink)
}

/// A base64 failure in the terms of a link: a cut-off payload, or a foreign character.
fn encoding_error(error: base64::DecodeError, length: usize) -> DecodeError {
    match error {
        base64::DecodeError::InvalidByte(offset, byte) => DecodeError::BadCharacter {
            offset,
            character: char::from(byte),
        },
        // A length no encoder produces, or a last symbol with stray bits: the payload was
        // cut short or its end was edited.
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidLastSymbol(_, _) => {
            DecodeError::Truncated
        }
        base64::DecodeError::InvalidPadding => DecodeError::BadCharacter {
            offset: length.saturating_sub(1),
            character: '=',
        },
    }
}
