//! The one error type of the domain. Each dialect maps it to its own wire error in one place, so
//! a rule that fails reads the same (and carries the same facts) whichever API the caller speaks.

use crate::service::Unsuitable;

/// Result of a domain operation.
pub type CoreResult<T> = Result<T, CoreError>;

/// Why a domain operation was refused. Variants carry the facts a caller needs to fix its request
/// (field, line, quantities), never a pre-rendered dialect message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    /// Input that breaks a rule about its own shape; `line` is the 1-based row of a batch.
    #[error("{}{field}: {message}", line_prefix(*.line))]
    Validation { field: String, message: String, line: Option<usize> },
    /// The entity does not exist *for this caller* (other tenants' data is reported the same way).
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    /// A unique business key is already taken.
    #[error("duplicate {what} [{key}]")]
    Duplicate { what: &'static str, key: String },
    #[error("insufficient stock for SKU {sku} in {warehouse}: requested {requested}, available {available}")]
    InsufficientStock { sku: String, warehouse: String, requested: i64, available: i64 },
    #[error("insufficient balance: {required} {currency} required, {available} {currency} available (minor units)")]
    InsufficientBalance { currency: String, required: i64, available: i64 },
    #[error("delivery service {service} is not suitable: {reason}")]
    UnsuitableService { service: String, reason: Unsuitable },
    /// A state machine refused the move.
    #[error("{entity} {id} in status {from} cannot be changed to {to}")]
    InvalidTransition { entity: &'static str, id: String, from: String, to: String },
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The request is well-formed but contradicts the current state (e.g. SKU not approved).
    #[error("{0}")]
    Conflict(String),
    /// An order cannot be submitted without products.
    #[error("order {order} has no products")]
    EmptyOrder { order: String },
    /// A row of an all-or-nothing batch failed; nothing of the batch was kept.
    #[error("line {line}: {error}")]
    InBatch { line: usize, error: Box<CoreError> },
    /// Entrepot failed (the database, a file): not the caller's fault, and nothing a caller is
    /// told more about. The cause was logged where it was mapped into this.
    #[error("internal error")]
    Internal,
}

fn line_prefix(line: Option<usize>) -> String {
    line.map(|l| format!("line {l}: ")).unwrap_or_default()
}

impl CoreError {
    /// Builds a validation error for `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation { field: field.into(), message: message.into(), line: None }
    }

    /// Builds a not-found error.
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound { entity, id: id.to_string() }
    }

    /// Attributes the error to a batch row, so an all-or-nothing batch can say which line failed.
    pub fn at_line(self, n: usize) -> Self {
        match self {
            Self::Validation { field, message, .. } => Self::Validation { field, message, line: Some(n) },
            Self::InBatch { error, .. } => Self::InBatch { line: n, error },
            // Not the row's fault: nothing to attribute.
            Self::Internal => Self::Internal,
            other => Self::InBatch { line: n, error: Box::new(other) },
        }
    }

    /// The batch row at fault, if any.
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::Validation { line, .. } => *line,
            Self::InBatch { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// The error without its batch row.
    pub fn innermost(&self) -> &CoreError {
        match self {
            Self::InBatch { error, .. } => error.innermost(),
            other => other,
        }
    }

    /// Stable machine code, for logs, metrics and dialects that expose error codes.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation { .. } => "validation",
            Self::NotFound { .. } => "not_found",
            Self::Duplicate { .. } => "duplicate",
            Self::InsufficientStock { .. } => "insufficient_stock",
            Self::InsufficientBalance { .. } => "insufficient_balance",
            Self::UnsuitableService { .. } => "unsuitable_service",
            Self::InvalidTransition { .. } => "invalid_transition",
            Self::Forbidden(_) => "forbidden",
            Self::Conflict(_) => "conflict",
            Self::EmptyOrder { .. } => "empty_order",
            Self::InBatch { error, .. } => error.code(),
            Self::Internal => "internal",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_field_and_line() {
        let e = CoreError::invalid("country_iso", "must be 2 letters").at_line(3);
        assert_eq!(e.to_string(), "line 3: country_iso: must be 2 letters");
        assert_eq!(e.code(), "validation");
    }
}
