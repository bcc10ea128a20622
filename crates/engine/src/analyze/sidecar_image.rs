//! A Dockerfile that builds a service beside the app, not the app: a database's image with a
//! backup cron job, a reverse proxy's configuration. Its command (`cron -f`, `nginx`) never
//! starts the app, and its `EXPOSE` is not the app's port.

use super::image_runtime::last_base_image;

/// Official images of data stores: a Dockerfile built on one runs that store.
const DATA_STORE_IMAGES: [&str; 14] = [
    "postgres",
    "postgis",
    "mysql",
    "mariadb",
    "redis",
    "valkey",
    "mongo",
    "memcached",
    "elasticsearch",
    "opensearch",
    "rabbitmq",
    "minio",
    "clickhouse-server",
    "timescaledb",
];

/// Words of a folder's name that say it holds a data store's or proxy's image
/// (`postgres-docker/`, `redis/`, `db-backup/`, `nginx/`).
const SIDECAR_FOLDER_WORDS: [&str; 16] = [
    "postgres",
    "postgresql",
    "pg",
    "mysql",
    "mariadb",
    "redis",
    "valkey",
    "mongo",
    "mongodb",
    "db",
    "database",
    "backup",
    "nginx",
    "caddy",
    "traefik",
    "haproxy",
];

/// Whether the Dockerfile at `path` builds a sidecar: it sits in a folder named for a data
/// store or a proxy, or its last stage runs on a data store's official image.
pub fn is_sidecar(path: &str, text: &str) -> bool {
    let folders = path.rsplit_once('/').map_or("", |(folders, _)| folders).to_ascii_lowercase();
    let named = folders.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| SIDECAR_FOLDER_WORDS.contains(&word));
    named || last_base_image(text).is_some_and(|base| DATA_STORE_IMAGES.contains(&base.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_stores_folder_or_image_is_a_sidecar() {
        assert!(is_sidecar("postgres-docker/Dockerfile", "FROM debian:12\nCMD [\"cron\", \"-f\"]\n"));
        assert!(is_sidecar("ops/db-backup/Dockerfile", "FROM alpine\n"));
        assert!(is_sidecar("backup/Dockerfile", "FROM docker.io/library/postgres:16\nCMD x\n"));
        assert!(is_sidecar("Dockerfile.cron", "FROM postgres:17 AS base\nFROM base\nCMD [\"cron\"]\n"));
    }

    #[test]
    fn the_apps_own_image_is_not() {
        assert!(!is_sidecar("Dockerfile", "FROM python:3.12\nCMD gunicorn app:app\n"));
        assert!(!is_sidecar("backend/Dockerfile", "FROM node:20\nCMD node server.js\n"));
        assert!(!is_sidecar("debug/Dockerfile", "FROM golang:1.22\n"));
    }
}
