//! The file adapters the server wires into the domain: [`ObjectStorage`] implements the
//! [`FileStorage`] port on a folder ([`ObjectStorage::local`]) or an S3-compatible bucket
//! ([`ObjectStorage::s3`]), both through the `object_store` crate so that they behave alike
//! (staged multipart writes that appear only when finished, ranged reads); [`ImageResizer`]
//! implements [`ImageProcessor`] with the `image` crate.

mod images;

pub use images::{ImageResizer, sample_png};

use std::ops::Range;
use std::path::Path as FsPath;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, WriteMultipart};
use pnyx_domain::files::{FileStorage, ObjectInfo, StorageError, StorageUpload, StoredBytes};

/// Parts of a multipart write: S3's smallest part (the last may be smaller).
const PART_BYTES: usize = 5 * 1024 * 1024;
/// Parts in flight at once: with the part being filled, at most three parts (15 MiB) of an upload
/// are in memory whatever its size.
const PARTS_IN_FLIGHT: usize = 2;

/// Where an S3-compatible bucket is, and the credentials for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Config {
    pub bucket: String,
    /// e.g. `https://s3.eu-central-1.amazonaws.com` or `http://127.0.0.1:9000`; `None`: AWS by region.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// The file storage on `object_store`.
#[derive(Debug, Clone)]
pub struct ObjectStorage {
    store: Arc<dyn ObjectStore>,
}

fn failed(e: object_store::Error) -> StorageError {
    match e {
        object_store::Error::NotFound { .. } => StorageError::NotFound,
        other => StorageError::Failed(other.to_string()),
    }
}

fn path(key: &str) -> Result<Path, StorageError> {
    Path::parse(key).map_err(|e| StorageError::Failed(format!("bad key {key}: {e}")))
}

impl ObjectStorage {
    /// Files in a folder, created when missing.
    ///
    /// # Errors
    /// When the folder cannot be created or opened.
    pub fn local(dir: &FsPath) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir).map_err(|e| StorageError::Failed(format!("{}: {e}", dir.display())))?;
        let fs = LocalFileSystem::new_with_prefix(dir).map_err(failed)?;
        Ok(ObjectStorage { store: Arc::new(fs) })
    }

    /// Objects in an S3-compatible bucket (plain `http://` endpoints are allowed, for a bucket
    /// on the same network).
    ///
    /// # Errors
    /// When the configuration is incomplete.
    pub fn s3(c: &S3Config) -> Result<Self, StorageError> {
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(&c.bucket)
            .with_region(&c.region)
            .with_access_key_id(&c.access_key_id)
            .with_secret_access_key(&c.secret_access_key);
        if let Some(endpoint) = &c.endpoint {
            b = b.with_endpoint(endpoint).with_allow_http(true).with_virtual_hosted_style_request(false);
        }
        Ok(ObjectStorage { store: Arc::new(b.build().map_err(failed)?) })
    }
}

struct Upload {
    writer: WriteMultipart,
}

#[async_trait::async_trait]
impl StorageUpload for Upload {
    async fn write(&mut self, chunk: Bytes) -> Result<(), StorageError> {
        // Back-pressure: wait until a part finishes before buffering more than the parts in flight.
        self.writer.wait_for_capacity(PARTS_IN_FLIGHT).await.map_err(failed)?;
        self.writer.put(chunk);
        Ok(())
    }

    async fn finish(self: Box<Self>) -> Result<(), StorageError> {
        self.writer.finish().await.map(|_| ()).map_err(failed)
    }

    async fn abort(self: Box<Self>) -> Result<(), StorageError> {
        self.writer.abort().await.map_err(failed)
    }
}

#[async_trait::async_trait]
impl FileStorage for ObjectStorage {
    async fn start(&self, key: &str) -> Result<Box<dyn StorageUpload>, StorageError> {
        let upload = self.store.put_multipart(&path(key)?).await.map_err(failed)?;
        Ok(Box::new(Upload { writer: WriteMultipart::new_with_chunk_size(upload, PART_BYTES) }))
    }

    async fn get(&self, key: &str, range: Option<Range<u64>>) -> Result<StoredBytes, StorageError> {
        let opts = GetOptions { range: range.map(GetRange::Bounded), ..GetOptions::default() };
        let got = self.store.get_opts(&path(key)?, opts).await.map_err(failed)?;
        let size = got.meta.size;
        let range = got.range.clone();
        let body = got.into_stream().map(|r| r.map_err(failed)).boxed();
        Ok(StoredBytes { size, range, body })
    }

    async fn size(&self, key: &str) -> Result<u64, StorageError> {
        Ok(self.store.head(&path(key)?).await.map_err(failed)?.size)
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(failed(e)),
        }
    }

    async fn list(&self) -> Result<Vec<ObjectInfo>, StorageError> {
        let mut out = Vec::new();
        let mut listing = self.store.list(None);
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(failed)?;
            out.push(ObjectInfo { key: meta.location.to_string(), size: meta.size, last_modified: meta.last_modified });
        }
        Ok(out)
    }
}
