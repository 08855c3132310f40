//! The packed form of a stored version: a compact binary encoding of a JSON value that the
//! store keeps instead of the value while nobody reads the object.
//!
//! Every value is a tag byte followed by its content. Lengths and integers are LEB128
//! varints, floats their eight bytes, strings their UTF-8 bytes. Objects are written in
//! their map's key order, so decoding builds each map from keys that are already sorted.
//! Encoding and decoding are exact: the decoded value equals the encoded one, including
//! whether a number is an unsigned, a negative or a floating-point number. The format is
//! private to one run of the store; nothing outside it reads the bytes.
//!
//! Object keys are most of a Pod's or Node's packed bytes, and the same few dozen field
//! names come back in every object, so those names are written as their place in a fixed
//! list ([`KEYS`]) instead of their text.

use serde_json::{Map, Number, Value};

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
/// A number serde_json holds as a `u64`.
const UNSIGNED: u8 = 3;
/// A negative number serde_json holds as an `i64`, written as `!n` (which is `-n - 1`).
const NEGATIVE: u8 = 4;
const FLOAT: u8 = 5;
const STRING: u8 = 6;
const ARRAY: u8 = 7;
const OBJECT: u8 = 8;

/// Field names of Pods and Nodes, sorted by length and then text. A key is written as the
/// varint `2 × i` when it is `KEYS[i]`, and as `2 × length + 1` followed by its bytes
/// otherwise; with 64 names every listed key takes one byte.
const KEYS: [&str; 64] = [
    "ip",
    "uid",
    "Port",
    "kind",
    "name",
    "spec",
    "type",
    "image",
    "phase",
    "podIP",
    "ready",
    "state",
    "value",
    "hostIP",
    "labels",
    "podIPs",
    "reason",
    "status",
    "address",
    "hostIPs",
    "imageID",
    "message",
    "podCIDR",
    "running",
    "started",
    "waiting",
    "capacity",
    "exitCode",
    "metadata",
    "nodeInfo",
    "nodeName",
    "podCIDRs",
    "addresses",
    "lastState",
    "namespace",
    "resources",
    "startTime",
    "startedAt",
    "apiVersion",
    "conditions",
    "containers",
    "finalizers",
    "finishedAt",
    "generation",
    "terminated",
    "allocatable",
    "annotations",
    "containerID",
    "hostNetwork",
    "restartCount",
    "lastProbeTime",
    "initContainers",
    "daemonEndpoints",
    "imagePullPolicy",
    "kubeletEndpoint",
    "ownerReferences",
    "resourceVersion",
    "containerStatuses",
    "creationTimestamp",
    "deletionTimestamp",
    "lastHeartbeatTime",
    "lastTransitionTime",
    "initContainerStatuses",
    "deletionGracePeriodSeconds",
];

/// The length of the longest name in [`KEYS`].
const LONGEST: usize = {
    let mut longest = 0;
    let mut index = 0;
    while index < KEYS.len() {
        if KEYS[index].len() > longest {
            longest = KEYS[index].len();
        }
        index += 1;
    }
    longest
};

/// `KEYS[BY_LENGTH[n]..BY_LENGTH[n + 1]]` are the names of `n` bytes, so that finding a key
/// compares it with a few names of its length only.
const BY_LENGTH: [usize; LONGEST + 2] = {
    let mut table = [0; LONGEST + 2];
    let mut length = 0;
    while length < table.len() {
        let mut first = 0;
        while first < KEYS.len() && KEYS[first].len() < length {
            first += 1;
        }
        table[length] = first;
        length += 1;
    }
    table
};

/// Appends the packed form of `value` to `out`; `None` (with `out` partly written) when
/// the value nests deeper than decoding follows, which the store then keeps as it is.
pub(crate) fn encode(value: &Value, out: &mut Vec<u8>) -> Option<()> {
    encode_at(value, out, 0)
}

fn encode_at(value: &Value, out: &mut Vec<u8>, depth: usize) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    match value {
        Value::Null => out.push(NULL),
        Value::Bool(false) => out.push(FALSE),
        Value::Bool(true) => out.push(TRUE),
        Value::Number(number) => encode_number(number, out),
        Value::String(text) => {
            out.push(STRING);
            encode_text(text, out);
        }
        Value::Array(items) => {
            out.push(ARRAY);
            encode_length(items.len(), out);
            for item in items {
                encode_at(item, out, depth + 1)?;
            }
        }
        Value::Object(map) => {
            out.push(OBJECT);
            encode_length(map.len(), out);
            for (key, item) in map {
                encode_key(key, out);
                encode_at(item, out, depth + 1)?;
            }
        }
    }
    Some(())
}

/// The value packed in `bytes`, or `None` when they are not one whole packed value.
pub(crate) fn decode(bytes: &[u8]) -> Option<Value> {
    let mut reader = Reader { bytes, at: 0 };
    let value = reader.value(0)?;
    (reader.at == bytes.len()).then_some(value)
}

fn encode_number(number: &Number, out: &mut Vec<u8>) {
    if let Some(unsigned) = number.as_u64() {
        out.push(UNSIGNED);
        encode_varint(unsigned, out);
    } else if let Some(negative) = number.as_i64() {
        out.push(NEGATIVE);
        encode_varint(!negative as u64, out);
    } else {
        // serde_json holds every other number as a finite f64.
        out.push(FLOAT);
        out.extend_from_slice(&number.as_f64().unwrap_or(0.0).to_le_bytes());
    }
}

fn encode_key(key: &str, out: &mut Vec<u8>) {
    match key_index(key) {
        Some(index) => encode_varint(2 * index as u64, out),
        None => {
            encode_varint(2 * key.len() as u64 + 1, out);
            out.extend_from_slice(key.as_bytes());
        }
    }
}

fn key_index(key: &str) -> Option<usize> {
    if key.len() > LONGEST {
        return None;
    }
    let (first, end) = (BY_LENGTH[key.len()], BY_LENGTH[key.len() + 1]);
    // The first bytes tell most names of a length apart; only a name that starts like the
    // key is compared whole.
    let lead = key.as_bytes().first();
    KEYS[first..end]
        .iter()
        .position(|name| name.as_bytes().first() == lead && *name == key)
        .map(|at| first + at)
}

fn encode_text(text: &str, out: &mut Vec<u8>) {
    encode_length(text.len(), out);
    out.extend_from_slice(text.as_bytes());
}

fn encode_length(length: usize, out: &mut Vec<u8>) {
    encode_varint(length as u64, out);
}

fn encode_varint(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The deepest nesting packed: it bounds the recursion of both directions, whatever the
/// bytes say.
const MAX_DEPTH: usize = 512;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let value = match self.byte()? {
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            UNSIGNED => Value::from(self.varint()?),
            NEGATIVE => {
                let negative = !i64::try_from(self.varint()?).ok()?;
                Value::from(negative)
            }
            FLOAT => {
                let bytes = self.take(8)?.try_into().ok()?;
                Value::Number(Number::from_f64(f64::from_le_bytes(bytes))?)
            }
            STRING => Value::String(self.text()?),
            ARRAY => {
                let count = self.length()?;
                let mut items = Vec::with_capacity(count);
                for _ in 0..count {
                    items.push(self.value(depth + 1)?);
                }
                Value::Array(items)
            }
            OBJECT => {
                let count = self.length()?;
                let mut entries = Vec::with_capacity(count);
                for _ in 0..count {
                    let key = self.key()?;
                    entries.push((key, self.value(depth + 1)?));
                }
                Value::Object(entries.into_iter().collect::<Map<_, _>>())
            }
            _ => return None,
        };
        Some(value)
    }

    fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn take(&mut self, count: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(count)?;
        let bytes = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(bytes)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            n |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    /// A count of items or bytes; never more than the bytes left, so a bad count cannot
    /// reserve more memory than the input holds.
    fn length(&mut self) -> Option<usize> {
        let length = usize::try_from(self.varint()?).ok()?;
        (length <= self.bytes.len() - self.at).then_some(length)
    }

    fn text(&mut self) -> Option<String> {
        let length = self.length()?;
        self.utf8(length)
    }

    fn key(&mut self) -> Option<String> {
        let code = usize::try_from(self.varint()?).ok()?;
        if code % 2 == 0 {
            return KEYS.get(code / 2).map(|key| key.to_string());
        }
        self.utf8(code / 2)
    }

    fn utf8(&mut self, length: usize) -> Option<String> {
        let bytes = self.take(length)?;
        std::str::from_utf8(bytes).ok().map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};
    use serde_json::{Value, json};

    fn round_trip(value: &Value) -> Option<Value> {
        let mut bytes = Vec::new();
        encode(value, &mut bytes)?;
        decode(&bytes)
    }

    #[test]
    fn values_come_back_exactly() {
        for value in [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(127),
            json!(128),
            json!(u64::MAX),
            json!(-1),
            json!(i64::MIN),
            json!(1.0),
            json!(-0.5),
            json!(1e300),
            json!(""),
            json!("é \" \\ \n text"),
            json!([]),
            json!({}),
            json!({"b": [1, {"c": null}], "a": {"x": "y"}, "": -2.25}),
        ] {
            let back = round_trip(&value);
            assert_eq!(back.as_ref(), Some(&value), "{value}");
            // Equal numbers of another representation compare unequal in serde_json, so
            // this also checks that a float stays a float and an integer an integer.
            assert_eq!(back.map(|v| v.to_string()), Some(value.to_string()));
        }
    }

    #[test]
    fn bytes_that_are_not_one_packed_value_decode_to_none() {
        let mut bytes = Vec::new();
        assert_eq!(encode(&json!({"a": [1, 2]}), &mut bytes), Some(()));
        assert_eq!(decode(&[]), None);
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
        assert_eq!(decode(&[bytes.as_slice(), &[0]].concat()), None);
        assert_eq!(decode(&[9]), None);
        // A string whose length runs past the end, and one that is not UTF-8.
        assert_eq!(decode(&[6, 5, b'a']), None);
        assert_eq!(decode(&[6, 1, 0xff]), None);
        // An array that claims more items than there are bytes.
        assert_eq!(decode(&[7, 0xff, 0xff, 0xff, 0xff, 0x0f]), None);
    }

    #[test]
    fn listed_keys_take_one_byte_and_others_their_text() {
        let keys = super::KEYS;
        assert!(
            keys.windows(2)
                .all(|pair| (pair[0].len(), pair[0]) < (pair[1].len(), pair[1]))
        );
        for (index, name) in super::KEYS.iter().enumerate() {
            assert_eq!(super::key_index(name), Some(index), "{name}");
        }
        let mut bytes = Vec::new();
        assert_eq!(
            encode(&json!({"ip": 1, "waiting": 2}), &mut bytes),
            Some(())
        );
        assert_eq!(bytes, [8, 2, 0, 3, 1, 2 * 25, 3, 2]);
        bytes.clear();
        assert_eq!(encode(&json!({"apiversion": null}), &mut bytes), Some(()));
        assert_eq!(bytes, [[8, 1, 21].as_slice(), b"apiversion", &[0]].concat());
        assert_eq!(decode(&bytes), Some(json!({"apiversion": null})));
        // A key code past the list, and a key whose text runs past the end.
        assert_eq!(decode(&[8, 1, 128, 1, 0]), None);
        assert_eq!(decode(&[8, 1, 7, b'a']), None);
    }

    #[test]
    fn deep_nesting_is_refused_both_ways() {
        let bytes: Vec<u8> = [7, 1].repeat(100_000).into_iter().chain([0]).collect();
        assert_eq!(decode(&bytes), None);

        let nested = |depth: usize| (0..depth).fold(json!(0), |inner, _| json!([inner]));
        assert_eq!(
            round_trip(&nested(super::MAX_DEPTH)),
            Some(nested(super::MAX_DEPTH))
        );
        assert_eq!(round_trip(&nested(super::MAX_DEPTH + 1)), None);
    }
}
