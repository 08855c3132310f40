//! One-line cases for sprig's `semver` and `semverCompare`, with the results Go gives
//! (sprig v3.3 over Masterminds/semver v3.4).

mod support;

use support::render;

/// Renders `tpl` with `.c` and `.v` set, so that any text reaches the functions unquoted.
fn run(tpl: &str, c: &str, v: &str) -> Result<String, String> {
    let data = serde_json::json!({ "c": c, "v": v }).to_string();
    render(tpl, &data)
}

/// The function's own message, without the template's position prefix.
fn message(err: &str, func: &str) -> String {
    let marker = format!("error calling {func}: ");
    match err.find(&marker) {
        Some(k) => err[k + marker.len()..].to_string(),
        None => format!("unexpected error shape: {err}"),
    }
}

fn check(c: &str, v: &str, want: bool) {
    assert_eq!(
        run("{{ semverCompare .c .v }}", c, v),
        Ok(want.to_string()),
        "semverCompare {c:?} {v:?}"
    );
}

fn check_err(c: &str, v: &str, want: &str) {
    match run("{{ semverCompare .c .v }}", c, v) {
        Err(e) => assert_eq!(
            message(&e, "semverCompare"),
            want,
            "semverCompare {c:?} {v:?}"
        ),
        Ok(out) => panic!("semverCompare {c:?} {v:?}: expected an error, got {out:?}"),
    }
}

/// `semver V` printed through the given fields.
fn fields(v: &str, want: &str) {
    let tpl = "{{ $s := semver .v }}{{ $s.String }}|{{ $s.Major }}|{{ $s.Minor }}|\
               {{ $s.Patch }}|{{ $s.Prerelease }}|{{ $s.Metadata }}|{{ $s.Original }}";
    assert_eq!(run(tpl, "", v), Ok(want.to_string()), "semver {v:?}");
}

fn version_err(v: &str, want: &str) {
    match run("{{ semver .v }}", "", v) {
        Err(e) => assert_eq!(message(&e, "semver"), want, "semver {v:?}"),
        Ok(out) => panic!("semver {v:?}: expected an error, got {out:?}"),
    }
}

#[test]
fn versions_parse_leniently() {
    fields("1.2.3", "1.2.3|1|2|3|||1.2.3");
    fields("v1.2.3", "1.2.3|1|2|3|||v1.2.3");
    fields("1.2", "1.2.0|1|2|0|||1.2");
    fields("1", "1.0.0|1|0|0|||1");
    fields("v2", "2.0.0|2|0|0|||v2");
    fields("01.002.0003", "1.2.3|1|2|3|||01.002.0003");
    fields(
        "1.2.3-beta.1+build.5",
        "1.2.3-beta.1+build.5|1|2|3|beta.1|build.5|1.2.3-beta.1+build.5",
    );
    fields("1.2-rc.1", "1.2.0-rc.1|1|2|0|rc.1||1.2-rc.1");
    fields("1-x-y", "1.0.0-x-y|1|0|0|x-y||1-x-y");
    fields(
        "1.2.3+meta-data",
        "1.2.3+meta-data|1|2|3||meta-data|1.2.3+meta-data",
    );
    fields("1.2.3-0", "1.2.3-0|1|2|3|0||1.2.3-0");
    fields("1.2.3+001", "1.2.3+001|1|2|3||001|1.2.3+001");
    fields(
        "18446744073709551615.0.0",
        "18446744073709551615.0.0|18446744073709551615|0|0|||18446744073709551615.0.0",
    );
}

#[test]
fn versions_that_go_refuses() {
    let invalid = "invalid semantic version";
    for v in [
        "",
        "1.2.3.4",
        "V1.2.3",
        " 1.2.3",
        "1.2.3 ",
        "1.2.3\n",
        "vv1",
        "v",
        "1.",
        ".1",
        "1.-2",
        "1.2.3-",
        "1.2.3+",
        "1.2.3-a..b",
        "1.2.3+a..b",
        "1.2.3-é",
        "1.2.3_4",
        "x.1.2",
        "1.x",
        "١.٢.٣",
        "1.2.3-beta+",
        "-1.2.3",
        "+1.2.3",
    ] {
        version_err(v, invalid);
    }
    version_err("1.2.3-01", "version segment starts with 0");
    version_err("1.2.3-alpha.007", "version segment starts with 0");
    version_err(
        "18446744073709551616.0.0",
        "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": \
         value out of range",
    );
    version_err(
        "1.99999999999999999999",
        "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": \
         value out of range",
    );
}

#[test]
fn semver_value_is_a_map() {
    // FIXME: Go prints a *semver.Version through its String method ("1.2.0"); our values have
    // no methods, so the map of its fields prints instead.
    assert_eq!(
        run("{{ semver .v }}", "", "v1.2"),
        Ok(
            "map[Major:1 Metadata: Minor:2 Original:v1.2 Patch:0 Prerelease: String:1.2.0]"
                .to_string()
        )
    );
    // FIXME: Go calls the version's Compare method here and prints -1; a map has no methods.
    let e = run("{{ (semver .v).Compare (semver .c) }}", "2.0.0", "1.0.0").unwrap_err();
    assert!(
        e.contains("Compare is not a method but has arguments"),
        "{e}"
    );
    // Segments are numbers to sprig's arithmetic.
    assert_eq!(
        run("{{ add1 (semver .v).Major }}", "", "v4.1"),
        Ok("5".to_string())
    );
}

#[test]
fn exact_and_wildcard_equality() {
    check("=2.0.0", "1.2.3", false);
    check("=2.0.0", "2.0.0", true);
    check("2.0.0", "2.0.0+build", true);
    check("v2.0.0+meta", "2.0.0", true);
    check("=2.0", "2.0.1", true);
    check("= 2.0", "1.2.3", false);
    check("4.1", "4.1.0", true);
    check("4.1.x", "4.1.3", true);
    check("1.x", "1.4", true);
    check("2.*", "3.4.5", false);
    check("2.*", "2.1.1", true);
    check("2.1.*", "2.2.1", false);
    check("2.X.X", "2.9.9", true);
    check("2", "1", false);
    check("2", "2.1.1", true);
    check("0.x.x", "1.2.3", false);
    check("0.0.x", "1.2.3", false);
    check("0.0.0", "1.2.3", false);
    check("*", "1.2.3", true);
    check("x", "0.0.0", true);
    check("=0", "1", false);
}

#[test]
fn not_equal() {
    check("!=4.1.0", "4.1.0", false);
    check("!=4.1.0", "4.1.1", true);
    check("!=4.1", "4.1.0", false);
    check("!=4.1", "4.1.1", false);
    check("!=4.1", "5.1.0", true);
    check("!=4.x", "5.1.0", true);
    check("!=4.x", "4.1.0", false);
    check("!=4.1.x", "4.2.0", true);
    check("!=4.2.x", "4.2.3", false);
    check("!=4.1-alpha", "4.1.0", true);
    check("!=4.1-alpha", "4.1.0-alpha", false);
    check("!=4.1-alpha", "4.1.1-alpha", false);
    check("!=4.1-alpha", "4.1.1-beta", true);
    check("!=4.1", "5.1.0-alpha.1", false);
    // A wildcard major reads as 0.0.0 with only the major wildcarded.
    check("!=*", "0.1.0", true);
    check("!=*", "0.0.0", false);
}

#[test]
fn greater_and_less() {
    check(">1.1", "4.1.0", true);
    check(">1.1", "1.1.0", false);
    check(">11", "11.1.0", false);
    check(">11.1", "11.1.1", false);
    check(">11.1", "11.2.1", true);
    check(">0", "0", false);
    check(">0", "1", true);
    check(">1.2.3-alpha.1", "1.2.3-alpha.2", true);
    check(">1.2.3-alpha.1", "1.3.3-alpha.2", true);
    check(">1.2.3-alpha.10", "1.2.3-alpha.9", false);
    check(">1.2.3-alpha", "1.2.3-alpha.1", true);
    check(">1.2.3-1", "1.2.3-a", true);
    check(">1.2.3-b", "1.2.3-a", false);
    check("<11", "11.1.0", false);
    check("<1.1", "0.1.0", true);
    check("<1.1", "1.1.1", false);
    check("<1.x", "1.1.1", false);
    check("<1.x", "0.1.1", true);
    check("<1.1.x", "1.1.500", false);
    check("<1.1.x", "1.0.500", true);
    check(">=11.1", "11.1.2", true);
    check(">=11.1", "11.0.2", false);
    check("=> 1.2", "1.2.0", true);
    check("<=11", "11.2.3", true);
    check("<=11", "12.2.3", false);
    check("<=1.1", "1.1.1", true);
    check("<=1.1", "1.2.3", false);
    check("=<1.1", "1.1.9", true);
    check("<=1.1.x", "1.2.500", false);
    check("<=2.x", "3.0.0", false);
    check("<=4.5", "3.7.0", true);
    // A wildcard major reads as 0.0.0 with only the major wildcarded: Go takes 0.0.x alone.
    check("<=*", "0.0.9", true);
    check("<=*", "0.9.0", false);
    check("<=*", "1.0.0", false);
}

#[test]
fn prereleases_need_a_prerelease_in_the_group() {
    check(">0", "0.0.1-alpha", false);
    check(">=0", "0.0.0-alpha", false);
    check(">=0-0", "0.0.1-alpha", true);
    check(">=0.0-0", "0.0.1-alpha", true);
    check(">0-0", "0.0.1-alpha", false);
    check(">0.0.0-0", "0.0.0-alpha", true);
    check(">=0.0.0-0", "3.4.5-beta.1", true);
    check("<0", "0.0.0-alpha", false);
    check("<0-z", "0.0.0-alpha", true);
    check("*", "1.2.3-alpha.1", false);
    check("*-0", "1.2.3-alpha.1", true);
    check(">=1.1", "4.1.0-beta", false);
    check("<=1.1-a", "0.1.0-alpha", true);
    check("> 1.2.3", "1.2.3-beta.1", false);
    // One constraint with a prerelease opens the whole AND group to prereleases.
    check(">=1.0.0-0 <2", "1.5.0-rc.1", true);
    check(">=1.0.0 <2", "1.5.0-rc.1", false);
    check(">=1.0.0 <2 || >=0-0", "1.5.0-rc.1", true);
}

#[test]
fn tilde_ranges() {
    check("~1.2.3", "1.2.4", true);
    check("~1.2.3", "1.3.4", false);
    check("~1.2.3", "1.2.2", false);
    check("~1.2", "1.2.4", true);
    check("~1", "1.2.4", true);
    check("~1", "2.3.4", false);
    check("~1.x", "1.3.5", true);
    check("~>1.2", "1.2.9", true);
    check("~>1.2", "1.3.0", false);
    check("~0.2.3", "0.2.5", true);
    check("~0.2.3", "0.3.5", false);
    check("~*", "2.1.1", true);
    check("~0.0.0", "1.2.3", true);
    check("~1.1", "1.1.1-alpha", false);
    check("~1.1-alpha", "1.1.1-beta", true);
    check("~1.1.1-beta", "1.1.1-alpha", false);
    check("~1.1.1-beta", "1.1.1", true);
    check("~1.2.3-beta.2", "1.2.4-beta.2", true);
    check("~1.2.3-beta.2", "1.3.4-beta.2", false);
}

#[test]
fn caret_ranges() {
    check("^1.2.3", "1.8.9", true);
    check("^1.2.3", "2.8.9", false);
    check("^1.2.3", "1.2.1", false);
    check("^1.2", "1.8.9", true);
    check("^1", "2.8.9", false);
    check("^1.x", "1.1.1", true);
    check("^2.x", "1.1.1", false);
    check("^1.x", "1.1.1-beta1", false);
    check("^1.2.0", "1.2.1-alpha.1", false);
    check("^1.2.0-alpha.0", "1.2.1-alpha.1", true);
    check("^1.2.0-alpha.2", "1.2.0-alpha.1", false);
    check("^1.1.2-alpha", "1.2.1-beta1", true);
    check("^0.2.3", "0.2.5", true);
    check("^0.2.3", "0.5.6", false);
    check("^0.2", "0.2.5", true);
    check("^0.0.3", "0.0.3", true);
    check("^0.0.3", "0.0.4", false);
    check("^0.0", "0.0.3", true);
    check("^0.0", "0.1.4", false);
    check("^0", "0.2.3", true);
    check("^0", "1.1.4", false);
    check("^0.0.0", "1.2.3", false);
    check("^0.2.3-beta.2", "0.2.4-beta.2", true);
    check("^0.2.3-beta.2", "0.3.4-beta.2", false);
    // A wildcard major reads as ^0.0.0 with only the major wildcarded: Go takes 0.0.0 alone.
    check("^*", "0.0.0", true);
    check("^*", "1.2.3", false);
}

#[test]
fn groups_commas_spaces_and_ors() {
    check(">1.1, <2", "1.1.1", false);
    check(">1.1, <2", "1.2.1", true);
    check(">1.1 <2", "1.2.1", true);
    check(">1.1    <3", "4.3.2", false);
    check(">=1.1, <2, !=1.2.3", "1.2.3", false);
    check(">=1.1 <2 !=1.2.3 || > 3", "4.1.2", true);
    check(">=1.1 <2 !=1.2.3 || > 3", "3.0.0", false);
    check(">=1.1, <2, != 1.2.3 || >= 3", "3.0.0", true);
    check("> 1.1, <     2", "1.1.1", false);
    check("12.3.34 ~1.2.3", "12.3.34", false);
    check("\t>=1.0\n<2.0\r", "1.5.0", true);
    check(">=1.0,<2.0", "1.5.0", true);
}

#[test]
fn hyphen_ranges() {
    check("1.1 - 2", "1.1.1", true);
    check("1.5.0 - 4.5", "3.7.0", true);
    check("1.2 - 1.4.5", "1.4.5", true);
    check("1.2 - 1.4.5", "1.4.6", false);
    check("1.2 - 1.4.5", "1.2.0", true);
    check("1.2 - 1.4.5", "1.1.9", false);
    check("1.1 - 3", "4.3.2", false);
    check("1.0.0 - 2.0.0 <=2.0.0", "1.5.0", true);
    check("1.0.0 - 2.0.0, <=2.0.0", "1.5.0", true);
    check("3 - 4 || => 3.0, < 4", "4.5.0", true);
    // Without spaces the dash starts a prerelease: `=1.1-3`, a tilde range around 1.1.0-3.
    check("1.1-3", "4.3.2", false);
    check("1.1-3", "1.1.5", true);
}

#[test]
fn constraints_that_go_refuses() {
    check_err("", "1.0.0", "improper constraint: ");
    check_err("foo", "1.0.0", "improper constraint: foo");
    check_err(">= bar", "1.0.0", "improper constraint: >= bar");
    check_err("BAR >= 1.2.3", "1.0.0", "improper constraint: BAR >= 1.2.3");
    check_err("12.3.4.1234", "1.0.0", "improper constraint: 12.3.4.1234");
    check_err(
        "12.3.34~ 1.2.3",
        "1.0.0",
        "improper constraint: 12.3.34~ 1.2.3",
    );
    check_err(">=1.0 ||", "1.0.0", "improper constraint: ");
    check_err("1 || ", "1.0.0", "improper constraint:  ");
    check_err("==1.0", "1.0.0", "improper constraint: ==1.0");
    check_err("≥1.0", "1.0.0", "improper constraint: ≥1.0");
    check_err(">1.0\u{a0}<2", "1.0.0", "improper constraint: >1.0\u{a0}<2");
    check_err("1.0\u{b}", "1.0.0", "improper constraint: 1.0\u{b}");
    // The error names the segment after hyphen ranges were rewritten.
    check_err(">1 1 - 2", "1.0.0", "improper constraint: >1>= 1, <= 2 ");
    // These pass the grammar (its class for a number also takes `|`), then fail to parse.
    check_err("1|2", "1.0.0", "constraint parser error");
    check_err("xx", "1.0.0", "constraint parser error");
    check_err("1x.2", "1.0.0", "constraint parser error");
    check_err("99999999999999999999", "1.0.0", "constraint parser error");
    check_err("1.2.3-01", "1.2.3", "constraint parser error");
}

#[test]
fn the_constraint_is_checked_before_the_version() {
    check_err(">1", "x", "invalid semantic version");
    check_err(">1", "", "invalid semantic version");
    check_err("foo", "bar", "improper constraint: foo");
    check_err(">1", "1.0.0-00", "version segment starts with 0");
}

#[test]
fn arguments_must_be_strings() {
    let e = render("{{ semverCompare 1 \"1.0.0\" }}", "{}").unwrap_err();
    assert!(
        e.contains("expected string; found 1"),
        "semverCompare with an int: {e}"
    );
    let e = render("{{ semver .missing }}", "{}").unwrap_err();
    assert!(e.contains("invalid value; expected string"), "{e}");
}

#[test]
fn garbage_never_panics() {
    let pieces = [
        "",
        " ",
        "-",
        " - ",
        "||",
        "|",
        ",",
        "v",
        "x",
        "*",
        "^",
        "~",
        "~>",
        ">",
        "<=",
        "!=",
        "=",
        "1",
        "0",
        "01",
        ".",
        "1.2",
        "-0",
        "+m",
        "é",
        "\u{0}",
        "99999999999999999999",
    ];
    for a in pieces {
        for b in pieces {
            for c in &pieces[..12] {
                let text = format!("{a}{b}{c}");
                let _ = run("{{ semverCompare .c .v }}", &text, "1.2.3");
                let _ = run("{{ semver .v }}", "", &text);
            }
        }
    }
}
