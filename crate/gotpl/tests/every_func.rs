//! Every sprig and predefined function, called with boundary arguments, returns a value or
//! an error and never panics.

mod support;

#[test]
fn every_registered_function_survives_boundary_arguments() {
    let funcs = support::funcs();
    assert!(funcs.iter().count() > 150, "the sprig table looks empty");
    let panics = stage_gotpl::boundary::panicking_calls(&funcs);
    assert!(
        panics.is_empty(),
        "{} panicking calls:\n{}",
        panics.len(),
        panics.join("\n")
    );
}
