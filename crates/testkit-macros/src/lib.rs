//! `#[each_backend]` turns `async fn name(b: Backend)` into two tests, `name_sqlite` and
//! `name_postgres`, so that a failure on one backend never hides the other's result and either
//! runs alone (`cargo test name_postgres`, or `ENTREPOT_TEST_BACKENDS=postgres`).
//!
//! Written on `proc_macro` alone: it only needs the function's name, and a dependency-free
//! macro costs nothing to build.

use proc_macro::{TokenStream, TokenTree};

/// Runs an `async fn name(b: Backend)` as two tests, `name_sqlite` and `name_postgres`, each
/// under `#[tokio::test(ARGS)]` with this attribute's arguments (e.g.
/// `#[each_backend(flavor = "multi_thread", worker_threads = 2)]`). A case whose backend
/// `ENTREPOT_TEST_BACKENDS` leaves out returns at once, saying it was skipped.
#[proc_macro_attribute]
pub fn each_backend(args: TokenStream, item: TokenStream) -> TokenStream {
    let Some(name) = async_fn_name(&item) else {
        return error("#[each_backend] goes on an `async fn name(b: Backend)`");
    };
    let args = args.to_string();
    let test = if args.trim().is_empty() { "#[::tokio::test]".to_owned() } else { format!("#[::tokio::test({args})]") };
    let cases: String = [("sqlite", "Sqlite"), ("postgres", "Postgres")]
        .iter()
        .map(|(suffix, variant)| {
            format!(
                "{test} async fn {name}_{suffix}() {{ \
                 ::entrepot_testkit::run_on(::entrepot_testkit::Backend::{variant}, {name}).await }}"
            )
        })
        .collect();
    match cases.parse::<TokenStream>() {
        Ok(cases) => {
            let mut out = item;
            out.extend(cases);
            out
        }
        Err(e) => error(&format!("#[each_backend] could not write its tests: {e}")),
    }
}

/// The name of the `async fn` the item declares, if it is one.
fn async_fn_name(item: &TokenStream) -> Option<String> {
    let mut is_async = false;
    let mut tokens = item.clone().into_iter();
    while let Some(t) = tokens.next() {
        if let TokenTree::Ident(i) = &t {
            match i.to_string().as_str() {
                "async" => is_async = true,
                "fn" if is_async => {
                    return match tokens.next() {
                        Some(TokenTree::Ident(name)) => Some(name.to_string()),
                        _ => None,
                    };
                }
                "fn" => return None,
                _ => {}
            }
        }
    }
    None
}

fn error(message: &str) -> TokenStream {
    format!("::core::compile_error!({message:?});").parse().unwrap_or_default()
}
