//! One-line cases for extreme arguments: the value or the error Go gives, where Go would
//! panic inside a function (text/template turns that into `error calling NAME: ...`), and
//! the output limit where Go would run out of memory.

mod support;

use support::render;

fn ok(tpl: &str, want: &str) {
    assert_eq!(render(tpl, "{}"), Ok(want.to_string()), "template {tpl:?}");
}

fn err_contains(tpl: &str, want: &str) {
    match render(tpl, "{}") {
        Err(e) => assert!(
            e.contains(want),
            "template {tpl:?}: error {e:?} lacks {want:?}"
        ),
        Ok(out) => panic!(
            "template {tpl:?}: expected an error, got {} bytes",
            out.len()
        ),
    }
}

#[test]
fn abbreviations_cut_bytes_as_go_does() {
    // Go keeps the cut bytes; printed as text they are U+FFFD.
    ok(
        "{{ abbrevboth 5 12 \"ééééééééééééé\" }}",
        "...\u{FFFD}éé\u{FFFD}...",
    );
    ok("{{ abbrev 6 \"ééééé\" }}", "é\u{FFFD}...");
    ok("{{ abbrevboth 9223372036854775807 12 \"ééé\" }}", "ééé");
    ok("{{ abbrevboth -9223372036854775808 -1 \"é\" }}", "é");
}

#[test]
fn sizes_that_overflow_fail_as_go_does() {
    err_contains(
        "{{ repeat 9223372036854775807 \"ab\" }}",
        "error calling repeat: strings: Repeat output length overflow",
    );
    err_contains(
        "{{ repeat -1 \"ab\" }}",
        "error calling repeat: strings: negative Repeat count",
    );
    ok(
        "{{ repeat 9223372036854775807 \"\" }}|{{ repeat 2 \"é\" }}",
        "|éé",
    );
    err_contains(
        "{{ randInt -9223372036854775808 9223372036854775807 }}",
        "error calling randInt: invalid argument to Intn",
    );
    err_contains(
        "{{ randInt 5 5 }}",
        "error calling randInt: invalid argument to Intn",
    );
}

#[test]
fn integer_ranges_stop_where_go_wraps() {
    ok(
        "{{ untilStep 0 9223372036854775807 9223372036854775800 }}",
        "[0 9223372036854775800]",
    );
    ok(
        "{{ untilStep -9223372036854775808 -9223372036854775806 1 }}",
        "[-9223372036854775808 -9223372036854775807]",
    );
    ok(
        "{{ seq 1 -9223372036854775808 }}|{{ seq 9223372036854775806 9223372036854775807 }}",
        "|",
    );
    ok("{{ until 0 }} {{ until -2 }}", "[] [0 -1]");
}

#[test]
fn integer_text_as_strconv_reads_it() {
    ok("{{ add1 \"--9223372036854775808\" }}", "1");
    ok("{{ add1 \"-+5\" }} {{ add1 \"+5\" }}", "1 6");
    ok(
        "{{ add1 \"-9223372036854775808\" }}",
        "-9223372036854775807",
    );
    ok("{{ add1 \"9223372036854775808\" }}", "1");
    ok("{{ add1 \"9223372036854775807\" }}", "-9223372036854775808");
    ok("{{ add1 \"-0x10\" }} {{ add1 \"010\" }}", "-15 9");
}

#[test]
fn json_of_floats_go_cannot_encode() {
    ok(
        "{{ toJson (float64 \"NaN\") }}|{{ toPrettyJson (list (float64 \"Inf\")) }}|",
        "||",
    );
    err_contains(
        "{{ mustToJson (float64 \"NaN\") }}",
        "error calling mustToJson: json: unsupported value: NaN",
    );
    err_contains(
        "{{ mustToRawJson (dict \"a\" (float64 \"-Inf\")) }}",
        "error calling mustToRawJson: json: unsupported value: -Inf",
    );
}

#[test]
fn dates_out_of_range() {
    ok(
        "{{ toDate \"2006-01-02\" \"2024-02-30\" }}",
        "0001-01-01 00:00:00 +0000 UTC",
    );
    ok(
        "{{ toDate \"2006-01-02\" \"2024-02-29\" }}",
        "2024-02-29 00:00:00 +0000 UTC",
    );
    ok(
        "{{ toDate \"2006-01-02\" \"2023-02-29\" }}",
        "0001-01-01 00:00:00 +0000 UTC",
    );
    err_contains(
        "{{ mustToDate \"2006-01-02\" \"2024-02-30\" }}",
        "error calling mustToDate: parsing time \"2024-02-30\": day out of range",
    );
    err_contains(
        "{{ mustToDate \"2006-01-02\" \"2024-13-01\" }}",
        "error calling mustToDate: parsing time \"2024-13-01\": month out of range",
    );
    // FIXME: Go's time.Time holds year 9999 and prints it; 64-bit nanoseconds do not, so
    // the date counts as unparsable here.
    ok(
        "{{ toDate \"2006-01-02\" \"9999-12-31\" }}",
        "0001-01-01 00:00:00 +0000 UTC",
    );
    ok("{{ ago -9223372036854775808 | len | lt 0 }}", "true");
}

#[test]
fn output_limit_stops_a_runaway_render() {
    let limit = stage_gotpl::OUTPUT_LIMIT;
    err_contains(
        &format!("{{{{ repeat {} \"a\" }}}}", limit + 1),
        "error calling repeat: repeat would exceed the output limit",
    );
    ok(
        &format!("{{{{ repeat {limit} \"a\" | len }}}}"),
        &limit.to_string(),
    );
    err_contains(
        "{{ \"x\" | indent 9223372036854775807 }}",
        "error calling indent: indent would exceed the output limit",
    );
    err_contains(
        "{{ \"x\" | nindent 9223372036854775807 }}",
        "error calling nindent: indent would exceed the output limit",
    );
    err_contains(
        "{{ untilStep 0 9223372036854775807 1 }}",
        "error calling untilStep: untilStep would exceed the output limit",
    );
    err_contains(
        "{{ randAlpha 9223372036854775807 }}",
        "error calling randAlpha: randAlpha would exceed the output limit",
    );
    err_contains(
        "{{ range until 5000 }}{{ repeat 1000 \"x\" }}{{ end }}",
        "executing \"_\" at <repeat 1000 \"x\">: the template output would exceed the output limit",
    );
}
