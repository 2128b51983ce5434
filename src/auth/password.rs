//! Argon2id password hashing at OWASP's parameters (m = 19 MiB, t = 2, p = 1),
//! run off the async threads with only a few hashes at once.
//!
//! The hashes run on a few dedicated threads rather than tokio's blocking
//! pool: each hash takes 19 MiB, and the allocator keeps a freed block in
//! the arena of the thread that used it, so a changing set of blocking
//! threads would keep hundreds of megabytes under a burst of sign-ins.

use std::sync::{Arc, Mutex, OnceLock, mpsc};

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher as _, PasswordVerifier, Version,
    password_hash::SaltString,
};

use crate::error::{AppError, AppResult};

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;

#[derive(Clone)]
pub struct Passwords {
    jobs: mpsc::Sender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a random password, verified against when the email is unknown
/// so that both failures take about the same time.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2()
            .hash_password(crate::auth::random_token(24).as_bytes(), &salt)
            .expect("hashing a random password")
            .to_string()
    })
}

impl Default for Passwords {
    fn default() -> Self {
        Self::new()
    }
}

impl Passwords {
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..cores.clamp(2, 4) {
            let receiver = Arc::clone(&receiver);
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{i}"))
                .spawn(move || {
                    loop {
                        let job = match receiver.lock() {
                            Ok(guard) => guard.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            // Every sender is gone: the application stopped.
                            Err(_) => return,
                        }
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(error = %err, "could not start a password hashing thread");
            }
        }
        Self { jobs: sender }
    }

    /// Checks the length rule of the contract.
    pub fn validate(password: &str) -> AppResult<()> {
        let chars = password.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(AppError::bad_input(format!(
                "password must be at least {MIN_PASSWORD_CHARS} characters"
            )));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(AppError::bad_input(format!(
                "password must be at most {MAX_PASSWORD_CHARS} characters"
            )));
        }
        Ok(())
    }

    pub async fn hash(&self, password: String) -> AppResult<String> {
        self.run(move || {
            let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
            argon2()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| AppError::Internal(anyhow::anyhow!("hashing password: {e}")))
        })
        .await
    }

    /// Verifies against `stored`, or against a dummy hash when there is none,
    /// so an unknown user costs the same time as a wrong password.
    pub async fn verify(&self, password: String, stored: Option<String>) -> AppResult<bool> {
        self.run(move || {
            let known = stored.is_some();
            let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
            let parsed = PasswordHash::new(&stored)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("stored hash unreadable: {e}")))?;
            let ok = argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            Ok(known && ok)
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> AppResult<T> + Send + 'static,
    ) -> AppResult<T> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = reply.send(work());
        });
        self.jobs
            .send(job)
            .map_err(|_| AppError::Internal(anyhow::anyhow!("password hashing stopped")))?;
        answer
            .await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("password hashing stopped")))?
    }

    /// Computes the dummy hash ahead of the first sign-in.
    pub fn warm_up() {
        let _ = dummy_hash();
    }
}

/// An Argon2id hash (the parameters of every other hash here) with a given
/// salt, for generated data that must be the same from run to run.
pub fn hash_with_salt(password: &str, salt: &[u8]) -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    for (i, b) in salt.iter().take(16).enumerate() {
        bytes[i] = *b;
    }
    let salt = SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}
