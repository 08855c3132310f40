//! kwok's stage testdata for one object at one moment of the run: `<name>.input.yaml`, the
//! object as stored then, and `<name>.output.yaml`, what kwok's stage test harness prints
//! for it over the scenario's Stages ([`crate::testdata`]).
//!
//! The object's version at a moment is read back from the timeline: the latest version
//! recorded at or before it (created, matched, played or settled), none once it is deleted.
//! A version the timeline does not record is not seen: one that matched nothing while a job
//! was pending for the object, or any change to an object no controller plays (a pod on an
//! unmanaged node), until a later entry records the object again.

use serde_json::Value;

use super::{ExportError, ExportFile, Prepared, error};
use crate::scenario::resolve_at;
use crate::testdata::harness_output;
use crate::timeline::{Entry, Nanos, Timeline};

/// The testdata pair of `key` (a timeline key such as `Pod/default/web-0`; the first
/// object of the scenario when `None`) at `at`, a Go duration after the start or an
/// RFC 3339 time.
pub fn testdata(
    prepared: &Prepared,
    key: Option<&str>,
    at: &str,
) -> Result<Vec<ExportFile>, ExportError> {
    let time = resolve_at(at, prepared.options.start).ok_or_else(|| {
        error(
            "--at",
            format!("{at:?} is neither a Go duration nor an RFC 3339 time"),
        )
    })?;
    let timeline = prepared.run(true)?;
    let key = match key {
        Some(key) => key.to_string(),
        None => {
            first_key(&timeline).ok_or_else(|| error("--object", "the scenario has no objects"))?
        }
    };

    let Some(object) = object_at(&timeline, &key, time) else {
        let known = keys_at(&timeline, time);
        return Err(error(
            "--object",
            format!(
                "{key} does not exist at {at}; objects then: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
        ));
    };
    let output =
        harness_output(&object, &prepared.stages).map_err(|e| error(&key, e.to_string()))?;

    let name = file_stem(&key);
    Ok(vec![
        ExportFile {
            name: format!("{name}.input.yaml"),
            text: stage_yaml::to_string(&object),
        },
        ExportFile {
            name: format!("{name}.output.yaml"),
            text: stage_yaml::to_string(&output),
        },
    ])
}

/// The version of `key` stored at `time`: the latest one the timeline recorded at or before
/// it, `None` before it was created or after it was deleted. A timeline in summary detail
/// records no objects, so it gives `None` throughout.
pub fn object_at(timeline: &Timeline, key: &str, time: Nanos) -> Option<Value> {
    let mut versions: Vec<(Nanos, usize, Option<&Value>)> = Vec::new();
    for (order, entry) in timeline.entries.iter().enumerate() {
        match entry {
            Entry::Created(created) if created.key == key => {
                versions.push((created.at.0, order, created.object.as_ref()));
            }
            Entry::Deleted(deleted) if deleted.key == key => {
                versions.push((deleted.at.0, order, None));
            }
            Entry::Settled(settled) if settled.key == key => {
                if let Some(object) = &settled.object {
                    versions.push((settled.at.0, order, Some(object)));
                }
            }
            Entry::Play(play) if play.key == key => {
                // The snapshot was stored when the play's version was matched, the result
                // when it played; `after` is null once the object is gone.
                if let Some(before) = &play.before {
                    versions.push((play.matched_at.0, order, Some(before)));
                }
                if let Some(after) = &play.after {
                    versions.push((
                        play.played_at.0,
                        order,
                        Some(after).filter(|a| !a.is_null()),
                    ));
                }
            }
            _ => {}
        }
    }
    versions
        .into_iter()
        .filter(|(at, _, _)| *at <= time)
        .max_by_key(|(at, order, _)| (*at, *order))
        .and_then(|(_, _, object)| object.cloned())
}

/// The keys of the objects that exist at `time`, in the order they were created.
fn keys_at(timeline: &Timeline, time: Nanos) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for entry in &timeline.entries {
        if let Entry::Created(created) = entry
            && created.at.0 <= time
            && !keys.contains(&created.key)
        {
            keys.push(created.key.clone());
        }
    }
    keys.retain(|key| object_at(timeline, key, time).is_some());
    keys
}

fn first_key(timeline: &Timeline) -> Option<String> {
    timeline.entries.iter().find_map(|entry| match entry {
        Entry::Created(created) => Some(created.key.clone()),
        _ => None,
    })
}

/// `Pod/default/web-0` → `pod-default-web-0`: a file name that says which object it is.
fn file_stem(key: &str) -> String {
    key.chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '.' | '_' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect()
}
