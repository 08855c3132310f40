//! The function tables templates are parsed with at load time.
//!
//! Go's template parser rejects a call to a function its table lacks, so a Stage for a
//! PersistentVolume that calls `NodeIP` fails when kwok first initialises it. Only the names
//! matter here: the tables are the ones the engine renders with (`crate::funcs`), built over
//! a context whose clock and generator are never read, because parsing calls nothing.

use std::cell::RefCell;
use std::rc::Rc;

use stage_gotpl::{Env, Funcs};

use crate::config::ControllerConfig;
use crate::funcs::{FuncContext, FunctionSet, NoNodes, build_funcs};
use crate::ippool::IpPools;
use crate::model::ResourceRef;

/// The functions of the controller kwok runs Stages of this resourceRef in.
pub fn controller_funcs(resource_ref: &ResourceRef) -> Funcs {
    let set = FunctionSet::for_kind(&resource_ref.api_group, &resource_ref.kind);
    let context = FuncContext {
        config: ControllerConfig::default(),
        start_time: 0,
        env: Rc::new(ParseOnly),
        nodes: Rc::new(NoNodes),
        pools: Rc::new(RefCell::new(IpPools::default())),
    };
    build_funcs(set, &context)
}

/// The clock and generator of a table that is only used to parse.
struct ParseOnly;

impl Env for ParseOnly {
    fn now(&self) -> i64 {
        0
    }

    fn next_u64(&self) -> u64 {
        0
    }
}
