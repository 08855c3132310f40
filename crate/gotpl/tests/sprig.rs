//! One-line cases for sprig's functions, with the values sprig v3.3 gives in Go.

mod support;

use support::render;

fn ok(tpl: &str, data: &str, want: &str) {
    assert_eq!(
        render(tpl, data),
        Ok(want.to_string()),
        "template {tpl:?} over {data}"
    );
}

fn err_contains(tpl: &str, data: &str, want: &str) {
    match render(tpl, data) {
        Err(e) => assert!(
            e.contains(want),
            "template {tpl:?}: error {e:?} lacks {want:?}"
        ),
        Ok(out) => panic!("template {tpl:?}: expected an error, got {out:?}"),
    }
}

#[test]
fn strings() {
    ok(
        "{{ upper \"ab\" }} {{ lower \"AB\" }} {{ title \"hello world\" }} {{ untitle \"Hello World\" }}",
        "{}",
        "AB ab Hello World hello world",
    );
    ok(
        "{{ trim \"  a \" }}|{{ trimAll \"$\" \"$5$\" }}|{{ trimPrefix \"-\" \"-x\" }}|{{ trimSuffix \"-\" \"x-\" }}",
        "{}",
        "a|5|x|x",
    );
    ok(
        "{{ contains \"b\" \"abc\" }} {{ hasPrefix \"a\" \"abc\" }} {{ hasSuffix \"c\" \"abc\" }}",
        "{}",
        "true true true",
    );
    ok(
        "{{ repeat 3 \"ab\" }} {{ substr 1 3 \"hello\" }} {{ trunc 3 \"hello\" }} {{ trunc -3 \"hello\" }}",
        "{}",
        "ababab el hel llo",
    );
    ok(
        "{{ nospace \"a b\tc\" }} {{ initials \"foo bar\" }} {{ swapcase \"aB\" }}",
        "{}",
        "abc fb Ab",
    );
    ok(
        "{{ snakecase \"FirstName\" }} {{ kebabcase \"FirstName\" }} {{ camelcase \"http_server\" }}",
        "{}",
        "first_name first-name HttpServer",
    );
    ok("{{ replace \" \" \"-\" \"a b c\" }}", "{}", "a-b-c");
    ok(
        "{{ indent 2 \"a\\nb\" }}|{{ nindent 2 \"a\" }}",
        "{}",
        "  a\n  b|\n  a",
    );
    ok(
        "{{ plural \"one\" \"many\" 1 }} {{ plural \"one\" \"many\" 2 }}",
        "{}",
        "one many",
    );
    ok(
        "{{ quote \"a\" 1 .missing }}|{{ squote \"a\" }}|{{ cat \"a\" .missing 2 }}",
        "{}",
        "\"a\" \"1\"|'a'|a 2",
    );
    ok("{{ quote .n }}", r#"{"n": 3}"#, "\"3\"");
    ok(
        "{{ abbrev 5 \"hello world\" }} {{ wrap 5 \"a b c d\" }}",
        "{}",
        "he... a b c\nd",
    );
    ok("{{ toString 3 }} {{ hello }}", "{}", "3 Hello!");
    ok("{{ b64enc \"hi\" }} {{ b64dec \"aGk=\" }}", "{}", "aGk= hi");
    ok(
        "{{ sha256sum \"\" }}",
        "{}",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    ok(
        "{{ sha1sum \"abc\" }} {{ adler32sum \"abc\" }}",
        "{}",
        "a9993e364706816aba3e25717850c26c9cd0d89d 38600999",
    );
    ok(
        "{{ regexMatch \"^a.c$\" \"abc\" }} {{ regexFind \"b+\" \"abbbc\" }} {{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }}",
        "{}",
        "true bbb -W-xxW-",
    );
    ok(
        "{{ regexFindAll \"a.\" \"a1a2a3\" 2 }} {{ regexSplit \"z+\" \"pizza\" -1 }} {{ regexQuoteMeta \"a.b\" }}",
        "{}",
        "[a1 a2] [pi a] a\\.b",
    );
    err_contains(
        "{{ upper .n }}",
        r#"{"n": 3}"#,
        "wrong type for value; expected string; got json.Number",
    );
    err_contains(
        "{{ upper .missing }}",
        "{}",
        "invalid value; expected string",
    );
}

#[test]
fn lists_and_dicts() {
    ok(
        "{{ list 1 \"a\" }} {{ first (list 1 2) }} {{ last (list 1 2) }} {{ rest (list 1 2 3) }} {{ initial (list 1 2 3) }}",
        "{}",
        "[1 a] 1 2 [2 3] [1 2]",
    );
    ok(
        "{{ append (list 1) 2 }} {{ prepend (list 1) 0 }} {{ concat (list 1) (list 2 3) }} {{ reverse (list 1 2) }}",
        "{}",
        "[1 2] [0 1] [1 2 3] [2 1]",
    );
    ok(
        "{{ uniq (list 1 1 2) }} {{ without (list 1 2 3) 2 }} {{ has 2 (list 1 2) }} {{ compact (list 1 \"\" 0 2) }}",
        "{}",
        "[1 2] [1 3] true [1 2]",
    );
    ok(
        "{{ slice (list 1 2 3) 1 }} {{ chunk 2 (list 1 2 3) }} {{ sortAlpha (list \"b\" \"a\") }}",
        "{}",
        "[2 3] [[1 2] [3]] [a b]",
    );
    ok(
        "{{ join \"-\" (list \"a\" 1 .missing) }} {{ splitList \",\" \"a,b\" }} {{ (split \",\" \"a,b\")._1 }}",
        "{}",
        "a-1 [a b] b",
    );
    ok(
        "{{ list \"v1\" .k | join \"-\" }}",
        r#"{"k": "v2"}"#,
        "v1-v2",
    );
    ok(
        "{{ dict \"a\" 1 \"b\" 2 }} {{ get (dict \"a\" 1) \"a\" }}|{{ get (dict) \"x\" }}|",
        "{}",
        "map[a:1 b:2] 1||",
    );
    ok(
        "{{ hasKey (dict \"a\" 1) \"a\" }} {{ keys (dict \"b\" 1 \"a\" 2) }} {{ pick (dict \"a\" 1 \"b\" 2) \"a\" }} {{ omit (dict \"a\" 1 \"b\" 2) \"a\" }}",
        "{}",
        "true [a b] map[a:1] map[b:2]",
    );
    ok(
        "{{ set (dict \"a\" 1) \"b\" 2 }} {{ unset (dict \"a\" 1) \"a\" }} {{ pluck \"a\" (dict \"a\" 1) (dict \"a\" 2) }}",
        "{}",
        "map[a:1 b:2] map[] [1 2]",
    );
    ok(
        "{{ merge (dict \"a\" 1) (dict \"a\" 2 \"b\" 3) }} {{ mergeOverwrite (dict \"a\" 1) (dict \"a\" 2) }}",
        "{}",
        "map[a:1 b:3] map[a:2]",
    );
    ok(
        "{{ dig \"a\" \"b\" \"def\" .m }} {{ dig \"a\" \"x\" \"def\" .m }}",
        r#"{"m": {"a": {"b": "B"}}}"#,
        "B def",
    );
    err_contains(
        "{{ first \"s\" }}",
        "{}",
        "error calling first: Cannot find first on type string",
    );
}

#[test]
fn defaults_json_types() {
    ok(
        "{{ default \"Delete\" .spec.reclaimPolicy }} {{ default \"d\" .z }} {{ default \"d\" \"\" }}",
        r#"{"spec": {}, "z": 0}"#,
        "Delete 0 d",
    );
    ok(
        "{{ empty .z }} {{ empty 0 }} {{ empty .missing }} {{ empty (list) }}",
        r#"{"z": 0}"#,
        "false true true true",
    );
    ok(
        "{{ coalesce .missing \"\" \"x\" }} {{ all 1 \"a\" }} {{ any 0 \"\" }} {{ ternary \"y\" \"n\" true }}",
        "{}",
        "x true false y",
    );
    ok(
        "{{ toJson .m }} {{ toRawJson (dict \"a\" \"<&>\") }} {{ toJson (dict \"a\" \"<\") }}",
        r#"{"m": {"b": [1, 2.5, null], "a": "x"}}"#,
        "{\"a\":\"x\",\"b\":[1,2.5,null]} {\"a\":\"<&>\"} {\"a\":\"\\u003c\"}",
    );
    ok(
        "{{ toPrettyJson (dict \"a\" (list 1)) }}",
        "{}",
        "{\n  \"a\": [\n    1\n  ]\n}",
    );
    ok(
        "{{ (fromJson \"{\\\"a\\\": 1}\").a }} {{ typeOf (fromJson \"1\") }}",
        "{}",
        "1 float64",
    );
    ok(
        "{{ typeOf .n }} {{ kindOf .n }} {{ typeOf 1 }} {{ typeOf (list) }} {{ kindIs \"map\" (dict) }} {{ typeIs \"string\" \"a\" }}",
        r#"{"n": 3}"#,
        "json.Number string int []interface {} true true",
    );
    ok("{{ deepEqual (list 1) (list 1) }}", "{}", "true");
    err_contains("{{ fail \"boom\" }}", "{}", "error calling fail: boom");
}

#[test]
fn numbers() {
    ok(
        "{{ add 1 2 .n }} {{ add .missing 1 }} {{ add1 .n }} {{ sub 5 .n }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }}",
        r#"{"n": 3}"#,
        "6 1 4 2 24 3 1",
    );
    ok(
        "{{ max 1 5 3 }} {{ min 4 2 }} {{ addf 1.5 1 }} {{ subf 3 0.5 }} {{ mulf 1.5 2 }} {{ divf 3 2 }}",
        "{}",
        "5 2 2.5 2.5 3 1.5",
    );
    ok(
        "{{ ceil 1.2 }} {{ floor 1.8 }} {{ round 3.14159 2 }} {{ atoi \"42\" }} {{ int \"7\" }} {{ float64 \"1.5\" }} {{ toDecimal \"0777\" }}",
        "{}",
        "2 1 3.14 42 7 1.5 511",
    );
    ok(
        "{{ seq 3 }} {{ seq 2 4 }} {{ until 3 }} {{ untilStep 0 10 4 }}",
        "{}",
        "1 2 3 2 3 4 [0 1 2] [0 4 8]",
    );
    ok("{{ add \"0x10\" \"1.5\" }}", "{}", "16");
    err_contains(
        "{{ div 1 0 }}",
        "{}",
        "error calling div: runtime error: integer divide by zero",
    );
}

#[test]
fn dates_env_and_unavailable() {
    ok("{{ now }}", "{}", "2024-01-01 00:00:10 +0000 UTC");
    ok(
        "{{ date \"2006-01-02T15:04:05Z07:00\" now }} {{ unixEpoch now }} {{ date \"Jan _2 03:04PM Mon\" 0 }}",
        "{}",
        "2024-01-01T00:00:10Z 1704067210 Jan  1 12:00AM Thu",
    );
    ok(
        "{{ duration 3700 }} {{ duration 0 }} {{ htmlDate now }}",
        "{}",
        "1h1m40s 0s 2024-01-01",
    );
    ok(
        "{{ env \"HOME\" }}|{{ expandenv \"a$HOME-b\" }}",
        "{}",
        "|a-b",
    );
    ok("{{ len (randAlphaNum 8) }} {{ len uuidv4 }}", "{}", "8 36");
    err_contains(
        "{{ genPrivateKey \"rsa\" }}",
        "{}",
        "genPrivateKey is not available in the playground",
    );
}

#[test]
fn durations_as_go_parses_them() {
    // Go adds durations in integer nanoseconds: 8.2s is exact.
    ok(
        "{{ now | dateModify \"8.2s\" | date \"15:04:05.000000000\" }}",
        "{}",
        "00:00:18.200000000",
    );
    ok(
        "{{ now | dateModify \"-1.000000001s\" | date \"15:04:05.000000000\" }}",
        "{}",
        "00:00:08.999999999",
    );
    err_contains(
        "{{ now | mustDateModify \"1d\" }}",
        "{}",
        "error calling mustDateModify: time: unknown unit \"d\" in duration \"1d\"",
    );
    err_contains(
        "{{ now | mustDateModify \"9223372036854775808ns\" }}",
        "{}",
        "error calling mustDateModify: time: invalid duration \"9223372036854775808ns\"",
    );
    ok(
        "{{ durationRound \"1.5h\" }} {{ durationRound \"junk\" }}",
        "{}",
        "1h 0s",
    );
}

#[test]
fn zones_are_utc() {
    // FIXME: every zone is UTC here; sprig loads Asia/Tokyo and gives 09:00.
    ok("{{ dateInZone \"15:04\" 0 \"Asia/Tokyo\" }}", "{}", "00:00");
}

#[test]
fn more_dates_and_encodings() {
    ok(
        "{{ dateModify \"1h30m\" now }}|{{ date_modify \"junk\" now }}",
        "{}",
        "2024-01-01 01:30:10 +0000 UTC|2024-01-01 00:00:10 +0000 UTC",
    );
    ok(
        "{{ toDate \"2006-01-02\" \"2017-12-31\" | date \"02/01/2006\" }} {{ ago now }} {{ durationRound \"2h10m\" }}",
        "{}",
        "31/12/2017 0s 2h",
    );
    ok(
        "{{ htmlDateInZone now \"UTC\" }} {{ date \"2006\" \"not a time\" }}",
        "{}",
        "2024-01-01 2024",
    );
    ok(
        "{{ b32enc \"hi\" }} {{ b32dec \"NBUQ====\" }} {{ sha512sum \"\" | trunc 16 }}",
        "{}",
        "NBUQ==== hi cf83e1357eefb8bd",
    );
    ok(
        "{{ osBase \"/a/b.txt\" }} {{ osDir \"/a/b.txt\" }} {{ osExt \"b.tar.gz\" }} {{ base \"a/\" }} {{ clean \"a/../b/./c\" }}",
        "{}",
        "b.txt /a .gz a b/c",
    );
    ok(
        "{{ mustRegexFind \"[0-9]+\" \"ab12\" }} {{ len (randBytes 3) }}",
        "{}",
        "12 4",
    );
    err_contains(
        "{{ mustRegexMatch \"(\" \"x\" }}",
        "{}",
        "error calling mustRegexMatch: error parsing regexp",
    );
}

/// sprig v3.3 has no YAML functions: kwok rejects a template that calls one at parse time.
#[test]
fn no_yaml_functions_in_sprig() {
    assert_eq!(
        render("{{ toYaml . }}", "{}"),
        Err("template: _:1: function \"toYaml\" not defined".to_string())
    );
}

#[test]
fn dates_take_only_times() {
    // sprig's date treats anything but a time or Unix seconds as "now".
    ok(
        "{{ date \"2006-01-02\" .t }}",
        r#"{"t": "2020-05-05T00:00:00Z"}"#,
        "2024-01-01",
    );
    ok(
        "{{ date \"2006-01-02 15:04\" 86400 }}",
        "{}",
        "1970-01-02 00:00",
    );
    ok("{{ title \"o'neil-x y_z\" }}", "{}", "O'Neil-X Y_z");
}

#[test]
fn bad_patterns() {
    // regexMatch alone ignores a bad pattern; the other lenient forms call
    // regexp.MustCompile, whose panic text/template reports.
    ok("{{ regexMatch \"a(b+\" \"ab\" }}", "{}", "false");
    for name in [
        "regexFind \"a(b+\" \"ab\"",
        "regexFindAll \"a(b+\" \"ab\" 1",
        "regexSplit \"a(b+\" \"ab\" -1",
    ] {
        let fname = name.split(' ').next().unwrap_or_default();
        err_contains(
            &format!("{{{{ {name} }}}}"),
            "{}",
            &format!("error calling {fname}: regexp: Compile(`a(b+`): error parsing regexp: "),
        );
    }
    err_contains(
        "{{ regexReplaceAll \"`(\" \"a\" \"b\" }}",
        "{}",
        "error calling regexReplaceAll: regexp: Compile(\"`(\"): error parsing regexp: ",
    );
    err_contains(
        "{{ mustRegexReplaceAllLiteral \"(\" \"a\" \"b\" }}",
        "{}",
        "error calling mustRegexReplaceAllLiteral: error parsing regexp: ",
    );
    ok(
        "{{ regexFindAll \"a.\" \"a1a2a3\" -9223372036854775808 }}",
        "{}",
        "[a1 a2 a3]",
    );
}

#[test]
fn urls() {
    ok(
        "{{ urlParse \"https://u:p@host:8080/a%20b?x=1#frag\" }}",
        "{}",
        "map[fragment:frag host:host:8080 hostname:host opaque: path:/a b query:x=1 scheme:https userinfo:u:p]",
    );
    ok(
        "{{ urlJoin (dict \"scheme\" \"http\" \"host\" \"h\" \"path\" \"a b\" \"query\" \"q=1\") }}",
        "{}",
        "http://h/a%20b?q=1",
    );
    ok("{{ (urlParse \"mailto:x@y\").opaque }}", "{}", "x@y");
}
