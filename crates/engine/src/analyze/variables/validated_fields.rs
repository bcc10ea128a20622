//! Fields of a class-validator environment class that read a variable
//! (`@IsNotEmpty() public UTILS_SECRET = environment.UTILS_SECRET ?? ""`). The class is
//! validated at start and the process exits on an error, so a field that refuses an empty
//! value makes its variable required, whatever fallback the read itself has.

use super::VariableRead;

/// Validators that refuse the empty string a missing variable falls back to.
const REFUSE_EMPTY: [&str; 6] = ["@IsNotEmpty(", "@IsHexadecimal(", "@IsUrl(", "@IsEmail(", "@MinLength(", "@IsUUID("];

/// Marks required each read in `reads` (all from `text`) whose field's decorators refuse an
/// empty value and do not make it optional.
pub fn require_validated(text: &str, reads: &mut [VariableRead]) {
    if !text.contains("class-validator") {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    for read in reads.iter_mut().filter(|r| !r.required) {
        let Some(line) = read.source.rsplit_once(':').and_then(|(_, l)| l.parse::<usize>().ok()) else { continue };
        let Some(field) = field_line(&lines, line.saturating_sub(1)) else { continue };
        let decorators = decorators_above(&lines, field);
        let refuses_empty = REFUSE_EMPTY.iter().any(|v| decorators.contains(v)) || non_zero_length(&decorators);
        if refuses_empty && !decorators.contains("@IsOptional(") && !decorators.contains("@ValidateIf(") {
            read.required = true;
        }
    }
}

/// The line of the class field whose initializer holds the read on `index`: that line or
/// one of the two above it (`public URL = (` / `environment.URL ??`).
fn field_line(lines: &[&str], index: usize) -> Option<usize> {
    (index.saturating_sub(2)..=index).rev().find(|&i| {
        let code = lines.get(i).map_or("", |l| l.trim_start());
        let code = code.strip_prefix("public ").or_else(|| code.strip_prefix("readonly ")).unwrap_or(code);
        let name: String = code.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        !name.is_empty() && code[name.len()..].trim_start().starts_with('=') && lines[i].starts_with([' ', '\t'])
    })
}

/// The decorators (and the comments among them) between the previous member and the field.
fn decorators_above(lines: &[&str], field: usize) -> String {
    let mut block = Vec::new();
    for line in lines[..field].iter().rev().take(12) {
        let code = line.trim();
        if code.ends_with(';') || (code.ends_with('{') && !code.starts_with('@')) || code.is_empty() {
            break;
        }
        block.push(code);
    }
    block.join("\n")
}

/// `@Length(64, 64)`: a minimum above zero refuses the empty string.
fn non_zero_length(decorators: &str) -> bool {
    decorators.split("@Length(").skip(1).any(|rest| {
        let min: String = rest.trim_start().chars().take_while(char::is_ascii_digit).collect();
        min.parse::<u32>().is_ok_and(|n| n > 0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENV: &str = r#"import { IsNotEmpty, IsOptional, Length } from "class-validator";
export class Environment {
  /**
   * Signs sessions.
   */
  @IsHexadecimal()
  @Length(64, 64, {
    message: `must be 64 characters`,
  })
  public SECRET_KEY = environment.SECRET_KEY ?? "";

  @IsNotEmpty()
  @IsUrl({
    require_tld: false,
  })
  public URL = (
    environment.URL ??
    "");

  @IsOptional()
  @IsNotEmpty()
  public PGSSLMODE = environment.PGSSLMODE;

  public REDIS_COLLABORATION_URL = environment.REDIS_COLLABORATION_URL;
}
"#;

    #[test]
    fn fields_whose_validators_refuse_an_empty_value_are_required() {
        let mut reads = vec![
            VariableRead::new("SECRET_KEY", "server/env.ts:10"),
            VariableRead::new("URL", "server/env.ts:17"),
            VariableRead::new("PGSSLMODE", "server/env.ts:22"),
            VariableRead::new("REDIS_COLLABORATION_URL", "server/env.ts:24"),
        ];
        require_validated(ENV, &mut reads);
        let required: Vec<(&str, bool)> = reads.iter().map(|r| (r.name.as_str(), r.required)).collect();
        assert_eq!(
            required,
            [("SECRET_KEY", true), ("URL", true), ("PGSSLMODE", false), ("REDIS_COLLABORATION_URL", false)]
        );
    }

    #[test]
    fn without_class_validator_nothing_changes() {
        let mut reads = vec![VariableRead::new("SECRET_KEY", "server/env.ts:10")];
        require_validated(&ENV.replace("class-validator", "somewhere"), &mut reads);
        assert!(!reads[0].required);
    }
}
