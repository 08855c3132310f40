//! sprig's path functions: Go's `path` package, and `filepath` as it behaves on Linux.

use super::{add, s};
use crate::{Funcs, Param, Value};

use Param::String as Str;

pub(super) fn register(funcs: &mut Funcs) {
    add(funcs, "base", &[Str], |a| {
        Ok(Value::from(path_base(s(&a[0]))))
    });
    add(funcs, "dir", &[Str], |a| {
        Ok(Value::from(path_dir(s(&a[0]))))
    });
    add(funcs, "clean", &[Str], |a| {
        Ok(Value::from(path_clean(s(&a[0]))))
    });
    add(funcs, "ext", &[Str], |a| {
        let p = s(&a[0]);
        let ext = p
            .rfind(['.', '/'])
            .filter(|&k| p.as_bytes()[k] == b'.')
            .map_or("", |k| &p[k..]);
        Ok(Value::str(ext))
    });
    add(funcs, "isAbs", &[Str], |a| {
        Ok(Value::Bool(s(&a[0]).starts_with('/')))
    });
    // The playground runs as on Linux, where Go's filepath functions equal the path ones.
    add(funcs, "osBase", &[Str], |a| {
        Ok(Value::from(path_base(s(&a[0]))))
    });
    add(funcs, "osDir", &[Str], |a| {
        Ok(Value::from(path_dir(s(&a[0]))))
    });
    add(funcs, "osClean", &[Str], |a| {
        Ok(Value::from(path_clean(s(&a[0]))))
    });
    add(funcs, "osExt", &[Str], |a| {
        Ok(Value::str(path_ext(s(&a[0]))))
    });
    add(funcs, "osIsAbs", &[Str], |a| {
        Ok(Value::Bool(s(&a[0]).starts_with('/')))
    });
}

fn path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

fn path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".to_string();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

fn path_dir(p: &str) -> String {
    match p.rfind('/') {
        Some(k) => path_clean(&p[..=k]),
        None => ".".to_string(),
    }
}

fn path_ext(p: &str) -> &str {
    p.rfind(['.', '/'])
        .filter(|&k| p.as_bytes()[k] == b'.')
        .map_or("", |k| &p[k..])
}
