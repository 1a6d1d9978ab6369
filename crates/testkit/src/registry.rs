//! A local Confluent Schema Registry speaking its REST wire format, for tests:
//! `POST /subjects/{subject}/versions` registers (the same schema text gets the same id) and
//! `GET /schemas/ids/{id}` fetches, answering 404 with error code 40403 for unknown ids.
//! `set_unavailable(true)` makes every request fail with 503, as a registry outage would.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post},
};
use serde_json::{Value, json};

#[derive(Default)]
struct Registry {
    ids_by_schema: HashMap<String, u32>,
    schemas_by_id: HashMap<u32, String>,
    subjects: Vec<(String, u32)>,
    unavailable: bool,
}

type Shared = Arc<Mutex<Registry>>;

fn unavailable() -> (StatusCode, Json<Value>) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({"error_code": 50301, "message": "registry unavailable"})),
    )
}

impl Registry {
    fn register(&mut self, subject: &str, schema: &str) -> u32 {
        let next = self.schemas_by_id.len() as u32 + 1;
        let id = *self.ids_by_schema.entry(schema.to_string()).or_insert(next);
        self.schemas_by_id.insert(id, schema.to_string());
        if !self.subjects.iter().any(|(s, i)| s == subject && *i == id) {
            self.subjects.push((subject.to_string(), id));
        }
        id
    }
}

async fn register(
    State(r): State<Shared>,
    Path(subject): Path<String>,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let mut r = r.lock().unwrap();
    if r.unavailable {
        return unavailable();
    }
    let Some(schema) = body["schema"].as_str() else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error_code": 42201, "message": "schema is required"})),
        );
    };
    let id = r.register(&subject, schema);
    (StatusCode::OK, Json(json!({ "id": id })))
}

async fn by_id(State(r): State<Shared>, Path(id): Path<u32>) -> (StatusCode, Json<Value>) {
    let r = r.lock().unwrap();
    if r.unavailable {
        return unavailable();
    }
    match r.schemas_by_id.get(&id) {
        Some(schema) => (StatusCode::OK, Json(json!({ "schema": schema }))),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error_code": 40403, "message": format!("Schema {id} not found")})),
        ),
    }
}

/// A running registry on a free loopback port, for the life of the test.
pub struct SchemaRegistry {
    pub url: String,
    state: Shared,
}

impl SchemaRegistry {
    pub async fn start() -> SchemaRegistry {
        let state = Shared::default();
        let app = Router::new()
            .route("/subjects/{subject}/versions", post(register))
            .route("/schemas/ids/{id}", get(by_id))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        SchemaRegistry { url, state }
    }

    /// Registers `schema` under `subject` as another producer would; returns its id.
    pub fn register(&self, subject: &str, schema: &str) -> u32 {
        self.state.lock().unwrap().register(subject, schema)
    }

    /// (subject, id) pairs registered so far, in order.
    pub fn subjects(&self) -> Vec<(String, u32)> {
        self.state.lock().unwrap().subjects.clone()
    }

    pub fn set_unavailable(&self, unavailable: bool) {
        self.state.lock().unwrap().unavailable = unavailable;
    }
}
