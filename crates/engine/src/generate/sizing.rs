//! Task size from the instance type: about the instance's vCPUs and memory, rounded up to a
//! combination Fargate accepts. Burstable (t-family) instances earn CPU credits on a baseline
//! of 5-40 % of their vCPUs, so their tasks get the smaller, explicit sizes of the table below.

use serde::{Deserialize, Serialize};

/// Fargate cpu units and memory MiB for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSize {
    /// CPU units: 1024 is one vCPU.
    pub cpu: u32,
    /// Memory in MiB.
    pub memory: u32,
}

/// Fargate's cpu values with the memory each allows: (cpu, least MiB, most MiB, step MiB).
/// 256 allows only 512, 1024 and 2048; only the burstable table asks for it.
const FARGATE: [(u32, u32, u32, u32); 7] = [
    (256, 512, 2048, 512),
    (512, 1024, 4096, 1024),
    (1024, 2048, 8192, 1024),
    (2048, 4096, 16384, 1024),
    (4096, 8192, 30720, 1024),
    (8192, 16384, 61440, 4096),
    (16384, 32768, 122880, 8192),
];

/// Whether Fargate runs a task of `size`: the one table both the generator and plan
/// validation read, so a size ferry writes is always one it accepts.
pub fn fargate_accepts(size: TaskSize) -> bool {
    FARGATE.iter().any(|&(cpu, least, most, step)| {
        // 256 units take 512, 1024 or 2048 MiB: 1536 is not among them, so no plain step fits.
        cpu == size.cpu
            && if cpu == 256 {
                [512, 1024, 2048].contains(&size.memory)
            } else {
                (least..=most).contains(&size.memory) && size.memory.is_multiple_of(step)
            }
    })
}

/// Fargate's cpu values, smallest first.
pub fn fargate_cpus() -> impl Iterator<Item = u32> {
    FARGATE.iter().map(|(cpu, ..)| *cpu)
}

/// The memory Fargate allows with `cpu` units, in words for a message; `None` for a cpu
/// value Fargate does not have.
pub fn fargate_memory_choices(cpu: u32) -> Option<String> {
    let (_, least, most, step) = FARGATE.iter().copied().find(|(units, ..)| *units == cpu)?;
    Some(if cpu == 256 {
        "512, 1024 or 2048 MiB".to_string()
    } else {
        format!("{least} to {most} MiB in steps of {step}")
    })
}

/// Burstable sizes: (size, cpu, memory MiB), the instance's memory on a fraction of its vCPUs.
const BURSTABLE: [(&str, u32, u32); 7] = [
    ("nano", 256, 512),
    ("micro", 512, 1024),
    ("small", 1024, 2048),
    ("medium", 1024, 4096),
    ("large", 2048, 8192),
    ("xlarge", 4096, 16384),
    ("2xlarge", 8192, 32768),
];

/// The size used when the instance type is not one ferry can read.
const FALLBACK: TaskSize = TaskSize { cpu: 1024, memory: 2048 };

/// A task about the size of the instance, rounded to a valid Fargate combination.
pub fn task_size(instance_type: &str) -> TaskSize {
    let Some((family, size)) = instance_type.split_once('.') else { return FALLBACK };
    if family.starts_with('t') {
        return BURSTABLE
            .iter()
            .find(|(name, _, _)| *name == size)
            .map_or(FALLBACK, |(_, cpu, memory)| TaskSize { cpu: *cpu, memory: *memory });
    }
    let Some(vcpus) = vcpus(size) else { return FALLBACK };
    // Memory per vCPU by class: compute-optimised 2 GiB, memory-optimised 8 (x: 16), general 4.
    let gib_per_vcpu = match family.chars().next() {
        Some('c') => 2,
        Some('r') => 8,
        Some('x') => 16,
        _ => 4,
    };
    fargate(vcpus * 1024, vcpus * gib_per_vcpu * 1024)
}

/// vCPUs of a non-burstable size: `medium` 1, `large` 2, `xlarge` 4, `Nxlarge` 4N.
fn vcpus(size: &str) -> Option<u32> {
    match size {
        "medium" => Some(1),
        "large" => Some(2),
        "xlarge" => Some(4),
        _ => size.strip_suffix("xlarge")?.parse::<u32>().ok().map(|n| n * 4),
    }
}

/// The smallest Fargate cpu at least `cpu` (at most 16 vCPU), with `memory` rounded up to that
/// cpu's step and kept within its range.
fn fargate(cpu: u32, memory: u32) -> TaskSize {
    let (cpu, least, most, step) =
        FARGATE.iter().copied().find(|(units, _, _, _)| *units >= cpu).unwrap_or(FARGATE[FARGATE.len() - 1]);
    let memory = memory.div_ceil(step) * step;
    TaskSize { cpu, memory: memory.clamp(least, most) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fargate_accepts_only_its_combinations() {
        let accepts = |cpu, memory| fargate_accepts(TaskSize { cpu, memory });
        assert!(accepts(256, 512) && accepts(256, 2048) && !accepts(256, 1536) && !accepts(256, 4096));
        assert!(accepts(512, 4096) && !accepts(512, 512) && !accepts(512, 1536));
        assert!(accepts(4096, 30720) && !accepts(4096, 31744));
        assert!(accepts(8192, 20480) && !accepts(8192, 18432), "8 vCPU steps by 4 GiB");
        assert!(accepts(16384, 122880) && !accepts(16384, 36864), "16 vCPU steps by 8 GiB");
        assert!(!accepts(999, 2048) && !accepts(0, 0) && !accepts(u32::MAX, u32::MAX));
        assert_eq!(fargate_memory_choices(1024).as_deref(), Some("2048 to 8192 MiB in steps of 1024"));
        assert_eq!(fargate_memory_choices(3), None);
    }

    fn size(instance_type: &str) -> (u32, u32) {
        let s = task_size(instance_type);
        (s.cpu, s.memory)
    }

    #[test]
    fn instance_types_map_to_valid_fargate_sizes() {
        assert_eq!(size("t3.small"), (1024, 2048));
        assert_eq!(size("t4g.micro"), (512, 1024));
        assert_eq!(size("m5.large"), (2048, 8192));
        assert_eq!(size("c6i.xlarge"), (4096, 8192));
        assert_eq!(size("r6g.large"), (2048, 16384));
        assert_eq!(size("m6i.2xlarge"), (8192, 32768));
        assert_eq!(size("r5.4xlarge"), (16384, 122880), "128 GiB is more than a task can have");
        assert_eq!(size("m7g.medium"), (1024, 4096));
        assert_eq!(size("c5.24xlarge"), (16384, 122880));
        assert_eq!(size("weird"), (1024, 2048));
        assert_eq!(size("m5.metal"), (1024, 2048));
    }

    #[test]
    fn every_size_is_a_combination_fargate_accepts() {
        for family in ["t3", "m5", "c5", "r5", "x2idn", "i4i"] {
            for size in ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "8xlarge", "16xlarge"] {
                let task = task_size(&format!("{family}.{size}"));
                assert!(fargate_accepts(task), "{family}.{size}: {task:?}");
            }
        }
    }
}
