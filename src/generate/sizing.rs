use serde::{Deserialize, Serialize};

/// Fargate cpu units and memory MiB for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSize {
    pub cpu: u32,
    pub memory: u32,
}

/// A task about the size of the instance, rounded to a valid Fargate combination.
pub fn task_size(instance_type: &str) -> TaskSize {
    let size = instance_type.split('.').nth(1).unwrap_or("");
    let (cpu, memory) = match size {
        "nano" => (256, 512),
        "micro" => (512, 1024),
        "small" => (1024, 2048),
        "medium" => (1024, 4096),
        "large" => (2048, 8192),
        "xlarge" => (4096, 16384),
        _ => (1024, 2048),
    };
    TaskSize { cpu, memory }
}
