//! `entrepot serve`: open the store, seed demo data if asked, serve HTTP until SIGINT/SIGTERM,
//! then drain in-flight requests and close the database cleanly.

use std::process::ExitCode;

use anyhow::Context;

use crate::{
    cli::ServeArgs,
    http::{self, metrics::Metrics, AppState},
};

pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let webhooks = args.webhooks.config(args.demo)?;
    let workers = args.workers.config();
    let store = args.db.open().await?;
    args.db.warn_if_shared();
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let local = listener.local_addr()?;
    let host = if local.ip().is_unspecified() { "127.0.0.1".to_owned() } else { local.ip().to_string() };
    let base_url = format!("http://{host}:{}", local.port());
    // The use cases over the store: what every door, worker and the demo seeding calls.
    let use_cases = entrepot_app::App::new(std::sync::Arc::new(store.clone()));
    if args.demo {
        crate::demo::seed(&use_cases, &args.db.data_dir, &base_url).await.context("seeding demo data")?;
    }
    let router = http::router(AppState {
        app: use_cases.clone(),
        store: store.clone(),
        metrics: Metrics::default(),
        blobs: crate::files::blob_store(args.files.file_store, &store, &args.db.data_dir),
        webhook_destinations: webhooks.destinations.clone(),
        budget: entrepot_ops::ClientBudget::new(args.client_rate_per_sec, args.client_burst),
        booking: workers.booking.clone(),
    });
    // Path rewrites must wrap the router: layers inside it run after routing.
    let app = tower::Layer::layer(&axum::middleware::map_request(entrepot_dialect_bird::normalize_path), router);
    let proxies: http::client_addr::TrustedProxies = args.trusted_proxies.clone().into();
    let app = tower::Layer::layer(&axum::middleware::map_request_with_state(proxies, http::client_addr::resolve), app);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut background = crate::workers::spawn(use_cases, &workers, webhooks, stopped);
    tracing::info!(%base_url, backend = ?store.backend(), "entrepot listening");
    let shutdown = shutdown_signal();
    println!("entrepot listening on {base_url}");
    // With the peer address, for the login page's per-address throttling.
    let app =
        axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<std::net::SocketAddr>(app);
    // `tap_io` (a no-op) only for axum's `ConnectInfo<SocketAddr>` of a listener of our own.
    let listener = axum::serve::ListenerExt::tap_io(http::loose_targets::LooseTargetListener(listener), |_| {});
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await.context("HTTP server failed")?;
    let _ = stop.send(true);
    // Background loops finish the item in hand; a stuck one is abandoned after a grace period
    // (its lease lets another process resume it).
    let _ = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        while background.join_next().await.is_some() {}
    })
    .await;
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is *called*, not when the
/// future is first polled, so a signal that arrives right after "listening" is printed is not
/// lost to the default action (killing the process without draining).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    #[cfg(unix)]
    let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok();
    async move {
        #[cfg(unix)]
        {
            let term = async {
                match term.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let int = async {
                match int.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = term => {},
                _ = int => {},
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutdown signal received, draining");
    }
}
