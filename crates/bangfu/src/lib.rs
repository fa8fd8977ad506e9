//! Placeholder: the facade is built under the foundation issue.
