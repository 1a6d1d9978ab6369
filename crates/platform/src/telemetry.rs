//! Tracing with OpenTelemetry. Every consumed message is handled in a span whose parent is
//! the `traceparent` it arrived with (OpenTelemetry messaging conventions); every produced
//! message carries the current context. Spans are exported over OTLP/HTTP when an endpoint
//! is configured; otherwise trace context still propagates, nothing is exported.

use opentelemetry::{
    global,
    propagation::{Extractor, Injector},
    trace::TracerProvider as _,
};
use opentelemetry_sdk::{Resource, propagation::TraceContextPropagator, trace::SdkTracerProvider};
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::{EnvFilter, layer::SubscriberExt, util::SubscriberInitExt};

use crate::{
    bus::Delivery,
    config::{LogFormat, TelemetryConfig},
};

/// Flushes spans on drop: keep it alive for the life of the process.
pub struct TelemetryGuard {
    provider: SdkTracerProvider,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Err(e) = self.provider.shutdown() {
            eprintln!("telemetry shutdown: {e}");
        }
    }
}

/// Installs the global subscriber (logs + OpenTelemetry layer) and W3C propagator.
pub fn init(service: &str, config: &TelemetryConfig) -> anyhow::Result<TelemetryGuard> {
    let mut builder = SdkTracerProvider::builder().with_resource(
        Resource::builder()
            .with_service_name(format!("baton-{service}"))
            .build(),
    );
    if let Some(endpoint) = &config.otlp_endpoint {
        use opentelemetry_otlp::WithExportConfig;
        crate::install_crypto_provider();
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
            .build()?;
        builder = builder.with_batch_exporter(exporter);
    }
    let provider = builder.build();
    global::set_text_map_propagator(TraceContextPropagator::new());
    global::set_tracer_provider(provider.clone());
    let tracer = provider.tracer(format!("baton-{service}"));
    let filter =
        EnvFilter::try_from_default_env().or_else(|_| EnvFilter::try_new(&config.log_filter))?;
    let otel = tracing_opentelemetry::layer().with_tracer(tracer);
    let registry = tracing_subscriber::registry().with(filter).with(otel);
    match config.log_format {
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_writer(std::io::stderr),
            )
            .try_init()?,
        LogFormat::Text => registry
            .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
            .try_init()?,
    }
    Ok(TelemetryGuard { provider })
}

struct HeaderInjector<'a>(&'a mut Vec<(String, String)>);

impl Injector for HeaderInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        self.0.retain(|(k, _)| k != key);
        self.0.push((key.to_string(), value));
    }
}

struct HeaderExtractor<'a>(&'a [(String, String)]);

impl Extractor for HeaderExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
    fn keys(&self) -> Vec<&str> {
        self.0.iter().map(|(k, _)| k.as_str()).collect()
    }
}

/// Adds `traceparent`/`tracestate` of the current span to `headers`.
pub fn inject_current(headers: &mut Vec<(String, String)>) {
    let cx = Span::current().context();
    global::get_text_map_propagator(|p| p.inject_context(&cx, &mut HeaderInjector(headers)));
}

/// The span a consumed message is processed in, child of the producer's trace.
pub fn consume_span(system: &'static str, group: &str, d: &Delivery) -> Span {
    let span = tracing::info_span!(
        "process",
        otel.name = %format!("process {}", d.topic),
        otel.kind = "consumer",
        messaging.system = system,
        messaging.operation.type = "process",
        messaging.destination.name = %d.topic,
        messaging.destination.partition.id = d.partition,
        messaging.kafka.offset = d.offset,
        messaging.consumer.group.name = %group,
        messaging.message.id = %d.message_id(),
    );
    let parent = global::get_text_map_propagator(|p| p.extract(&HeaderExtractor(&d.headers)));
    let _ = span.set_parent(parent);
    span
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_schemas::cloudevents::header;

    /// A consumed message's span continues the producer's trace, and what it produces
    /// carries that trace onward with a new parent span.
    #[test]
    fn trace_context_flows_from_consumed_to_produced_messages() {
        let provider = SdkTracerProvider::builder().build();
        global::set_text_map_propagator(TraceContextPropagator::new());
        let subscriber = tracing_subscriber::registry()
            .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("test")));
        tracing::subscriber::with_default(subscriber, || {
            let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            let d = Delivery {
                topic: "t".into(),
                partition: 0,
                offset: 7,
                key: None,
                payload: vec![],
                headers: vec![("traceparent".into(), incoming.into())],
                producer: None,
                tenancy: crate::bus::Tenancy::Unknown,
            };
            let span = consume_span("kafka", "g", &d);
            let mut out = Vec::new();
            span.in_scope(|| inject_current(&mut out));
            let tp = header(&out, "traceparent").expect("traceparent injected");
            let parts: Vec<&str> = tp.split('-').collect();
            assert_eq!(parts[1], "4bf92f3577b34da6a3ce929d0e0e4736", "same trace");
            assert_ne!(parts[2], "00f067aa0ba902b7", "a new span within it");
        });
    }
}
