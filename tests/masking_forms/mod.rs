//! The forms secrets take in user data and the scripts it writes, one row each: the lines,
//! the secret values in them (each spelt once in the whole table, so a hit in any output can
//! only be a leak of that row), and what must stay readable around them.

/// One form a secret takes.
pub struct Form {
    pub label: &'static str,
    /// User data lines holding the secret; a heredoc a row opens, it closes.
    pub script: &'static str,
    /// The raw secret values: none may appear in any output.
    pub secrets: &'static [&'static str],
    /// What a reviewer must still see (user names, hosts, commands, references).
    pub visible: &'static [&'static str],
}

const fn form(
    label: &'static str,
    script: &'static str,
    secrets: &'static [&'static str],
    visible: &'static [&'static str],
) -> Form {
    Form { label, script, secrets, visible }
}

pub const FORMS: &[Form] = &[
    // chpasswd input
    form("chpasswd from echo", "echo 'deploy:Chp01Echo' | chpasswd", &["Chp01Echo"], &["deploy:", "| chpasswd"]),
    form(
        "chpasswd under sudo",
        "echo \"ec2-user:Chp02Sudo\" | sudo chpasswd",
        &["Chp02Sudo"],
        &["ec2-user:", "sudo chpasswd"],
    ),
    form(
        "chpasswd from printf, two users",
        "printf 'alice:Chp03Alice\\nbob:Chp03Bob\\n' | chpasswd",
        &["Chp03Alice", "Chp03Bob"],
        &["alice:", "bob:"],
    ),
    form("chpasswd heredoc", "chpasswd <<'EOF'\nops:Chp04Heredoc\nEOF", &["Chp04Heredoc"], &["ops:", "chpasswd <<"]),
    form(
        "chpasswd heredoc through cat, spaced password",
        "cat <<USERS | chpasswd -c SHA512\nsupport:Chp05 Spaced Out\nUSERS",
        &["Chp05 Spaced Out", "Chp05"],
        &["support:", "chpasswd -c SHA512"],
    ),
    form("chpasswd here-string", "chpasswd <<< \"backup:Chp06Here\"", &["Chp06Here"], &["backup:"]),
    form(
        "cloud-config chpasswd list written by the script",
        "cat > /etc/cloud/cloud.cfg.d/99-users.cfg <<'CFG'\nchpasswd:\n  list: |\n    root:Chp07Cloud\n  expire: false\nCFG",
        &["Chp07Cloud"],
        &["root:", "expire: false"],
    ),
    // curl
    form(
        "curl -u",
        "curl -fsS -u admin:Curl08Pw https://artifacts.example.com/app.tgz -o /tmp/app.tgz",
        &["Curl08Pw"],
        &["-u admin:", "https://artifacts.example.com/app.tgz"],
    ),
    form(
        "curl --user=",
        "curl --user=deployer:Curl09Pw https://nexus.example.com/repo",
        &["Curl09Pw"],
        &["--user=deployer:", "nexus.example.com"],
    ),
    form("curl -sSu", "curl -sSu ci:Curl10Pw https://jenkins.example.com/job", &["Curl10Pw"], &["-sSu ci:"]),
    form(
        "curl --proxy-user",
        "curl --proxy-user proxyuser:Curl11Pw -x http://proxy.example.com:3128 https://example.com",
        &["Curl11Pw"],
        &["--proxy-user proxyuser:", "proxy.example.com:3128"],
    ),
    form(
        "curl Authorization header",
        "curl -H \"Authorization: Bearer Curl12Bearer\" https://api.example.com/register",
        &["Curl12Bearer"],
        &["Authorization:", "https://api.example.com/register"],
    ),
    form(
        "curl API key header",
        "curl -H 'X-Api-Key: Curl13Key' https://hooks.example.com/deploy",
        &["Curl13Key"],
        &["X-Api-Key:", "hooks.example.com"],
    ),
    // wget
    form(
        "wget --password=",
        "wget --user=fetch --password=Wget14Pw https://files.example.com/a.tgz",
        &["Wget14Pw"],
        &["--user=fetch", "files.example.com"],
    ),
    form(
        "wget --http-password=",
        "wget --http-user=web --http-password=Wget15Pw https://files.example.com/b.tgz",
        &["Wget15Pw"],
        &["--http-user=web", "--http-password="],
    ),
    form(
        "wget --ftp-password VALUE",
        "wget --ftp-user=ftpu --ftp-password Wget16Pw ftp://ftp.example.com/c.tgz",
        &["Wget16Pw"],
        &["--ftp-user=ftpu", "ftp://ftp.example.com/c.tgz"],
    ),
    // databases
    form(
        "mysql -pPASS",
        "mysql -h mysql.example.internal -uapp -pMysql17Pw shop < /opt/schema.sql",
        &["Mysql17Pw"],
        &["-uapp -p", "mysql.example.internal"],
    ),
    form(
        "mysqldump --password=",
        "mysqldump --user=backup --password=Mysql18Pw shop > /backup/shop.sql",
        &["Mysql18Pw"],
        &["--user=backup", "--password="],
    ),
    form(
        "PGPASSWORD before a command",
        "PGPASSWORD=Pg19Pw psql -h pg.example.internal -U app -c 'select 1'",
        &["Pg19Pw"],
        &["PGPASSWORD=", "psql -h pg.example.internal -U app"],
    ),
    form("export PGPASSWORD", "export PGPASSWORD=\"Pg20Pw\"", &["Pg20Pw"], &["export PGPASSWORD="]),
    form(
        ".pgpass from echo",
        "echo \"pg.example.internal:5432:shop:app:Pgpass21Pw\" > ~/.pgpass",
        &["Pgpass21Pw"],
        &["pg.example.internal:5432:shop:app:"],
    ),
    form(
        ".pgpass heredoc",
        "cat > /root/.pgpass <<'PGPASS'\n*:*:*:postgres:Pgpass22 Pw\nPGPASS",
        &["Pgpass22 Pw", "Pgpass22"],
        &["*:*:*:postgres:"],
    ),
    form(
        "JDBC MySQL URL",
        "export JDBC_URL=\"jdbc:mysql://mysql.example.internal:3306/shop?user=shop&password=Jdbc23Pw&useSSL=true\"",
        &["Jdbc23Pw"],
        &["jdbc:mysql://mysql.example.internal:3306/shop?user=shop&password=", "&useSSL=true"],
    ),
    form(
        "JDBC SQL Server ;password=",
        "SQLSERVER_URL='jdbc:sqlserver://mssql.example.internal:1433;databaseName=shop;user=sa;password=Jdbc24Pw;encrypt=true'",
        &["Jdbc24Pw"],
        &["jdbc:sqlserver://mssql.example.internal:1433;databaseName=shop;user=sa;password=", ";encrypt=true"],
    ),
    form(
        "ADO.NET connection string",
        "echo 'Server=mssql.example.internal;Database=shop;User Id=app;Password=Ado25Pw;' > /etc/app/conn",
        &["Ado25Pw"],
        &["Server=mssql.example.internal;Database=shop;User Id=app;Password="],
    ),
    form(
        "DATABASE_URL with a password",
        "export DATABASE_URL=postgres://app:Db26Pw@tiny-db.abc123.eu-west-1.rds.amazonaws.com:5432/app",
        &["Db26Pw"],
        &["postgres://app:", "@tiny-db.abc123.eu-west-1.rds.amazonaws.com:5432/app"],
    ),
    form(
        "MongoDB URL",
        "mongosh \"mongodb://admin:Mongo27Pw@mongo.example.internal:27017/admin\" --eval 'db.stats()'",
        &["Mongo27Pw"],
        &["mongodb://admin:", "@mongo.example.internal:27017/admin"],
    ),
    form(
        "mongodump -p",
        "mongodump --host mongo.example.internal -u admin -p Mongo28Pw --out /backup",
        &["Mongo28Pw"],
        &["-u admin -p", "--out /backup"],
    ),
    form(
        "redis-cli -a",
        "redis-cli -h cache.example.internal -a Redis29Pw --no-auth-warning ping",
        &["Redis29Pw"],
        &["redis-cli -h cache.example.internal -a", "--no-auth-warning ping"],
    ),
    form(
        "sqlcmd -P",
        "sqlcmd -S mssql.example.internal -U sa -P Sql30Pw -Q \"select 1\"",
        &["Sql30Pw"],
        &["sqlcmd -S mssql.example.internal -U sa -P"],
    ),
    // web servers, registries, remote shells
    form(
        "htpasswd -b",
        "htpasswd -b /etc/nginx/.htpasswd monitor Ht31Pw",
        &["Ht31Pw"],
        &["htpasswd -b /etc/nginx/.htpasswd monitor"],
    ),
    form(
        "htpasswd -bc",
        "htpasswd -bc /etc/httpd/.htpasswd admin Ht32Pw",
        &["Ht32Pw"],
        &["htpasswd -bc /etc/httpd/.htpasswd admin"],
    ),
    form(
        "htpasswd -nbB to a file",
        "htpasswd -nbB viewer Ht33Pw > /etc/nginx/viewers",
        &["Ht33Pw"],
        &["htpasswd -nbB viewer", "> /etc/nginx/viewers"],
    ),
    form(
        "docker login -p",
        "docker login -u registry-user -p Dock34Pw registry.example.com",
        &["Dock34Pw"],
        &["docker login -u registry-user -p", "registry.example.com"],
    ),
    form(
        "docker login --password",
        "docker login --username robot --password Dock35Pw harbor.example.com",
        &["Dock35Pw"],
        &["--username robot --password", "harbor.example.com"],
    ),
    form(
        "docker login --password-stdin from echo",
        "echo Dock36Pw | docker login -u ci --password-stdin ghcr.io",
        &["Dock36Pw"],
        &["docker login -u ci --password-stdin ghcr.io"],
    ),
    form(
        "docker run -e PASSWORD, port flag kept",
        "docker run -d -p 5433:5432 -e POSTGRES_PASSWORD=Dock37Pw postgres:16",
        &["Dock37Pw"],
        &["-p 5433:5432", "POSTGRES_PASSWORD=", "postgres:16"],
    ),
    form(
        "sshpass -p",
        "sshpass -p Ssh38Pw scp deploy@10.0.0.9:/tmp/release.tgz /tmp/",
        &["Ssh38Pw"],
        &["sshpass -p", "scp deploy@10.0.0.9:/tmp/release.tgz"],
    ),
    form("export SSHPASS", "export SSHPASS=Ssh39Pw", &["Ssh39Pw"], &["export SSHPASS="]),
    form(
        "smbclient -U user%pass",
        "smbclient //fs.example.internal/share -U backup%Smb40Pw -c ls",
        &["Smb40Pw"],
        &["//fs.example.internal/share -U backup%"],
    ),
    form(
        "mount -o password=",
        "mount -t cifs //fs.example.internal/data /mnt/data -o username=svc,password=Cifs41Pw,vers=3.0",
        &["Cifs41Pw"],
        &["username=svc,password=", ",vers=3.0"],
    ),
    form(
        "ldapsearch -w",
        "ldapsearch -x -H ldap://ldap.example.internal -D cn=admin,dc=example -w Ldap42Pw",
        &["Ldap42Pw"],
        &["-D cn=admin,dc=example -w"],
    ),
    // git and package registries
    form(
        "git token as the URL user",
        "git clone https://ghp_Git43TokenAbcdefghijklmnop0123456789@github.com/acme/shop.git /opt/shop",
        &["ghp_Git43TokenAbcdefghijklmnop0123456789"],
        &["github.com/acme/shop.git"],
    ),
    form(
        "git user:token URL",
        "git clone https://deploy-bot:Git44Tok@gitlab.example.com/acme/api.git",
        &["Git44Tok"],
        &["https://deploy-bot:", "@gitlab.example.com/acme/api.git"],
    ),
    form(
        "git x-access-token URL",
        "git remote set-url origin https://x-access-token:Git45Tok@github.com/acme/web.git",
        &["Git45Tok"],
        &["https://x-access-token:", "@github.com/acme/web.git"],
    ),
    form(
        ".git-credentials line",
        "echo \"https://ci:Git46Tok@bitbucket.org\" > ~/.git-credentials",
        &["Git46Tok"],
        &["https://ci:", "@bitbucket.org"],
    ),
    form(
        ".npmrc auth token",
        "echo \"//registry.npmjs.org/:_authToken=Npm47Token\" > ~/.npmrc",
        &["Npm47Token"],
        &["//registry.npmjs.org/:_authToken="],
    ),
    form(
        ".netrc line",
        "echo \"machine api.example.com login bot password Netrc48Pw\" > ~/.netrc",
        &["Netrc48Pw"],
        &["machine api.example.com login bot password"],
    ),
    // AWS
    form(
        "export AWS_SECRET_ACCESS_KEY, its key id kept",
        "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/Aws49SecretKeyEXAMPLE",
        &["wJalrXUtnFEMI/K7MDENG/Aws49SecretKeyEXAMPLE"],
        &["AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "export AWS_SECRET_ACCESS_KEY="],
    ),
    form(
        "export AWS_SESSION_TOKEN",
        "export AWS_SESSION_TOKEN=FwoGZXIvYXdzEAws50SessionTokenExample",
        &["FwoGZXIvYXdzEAws50SessionTokenExample"],
        &["export AWS_SESSION_TOKEN="],
    ),
    form(
        "aws configure set aws_secret_access_key",
        "aws configure set aws_secret_access_key Aws51ViaConfigure --profile deploy",
        &["Aws51ViaConfigure"],
        &["aws configure set aws_secret_access_key", "--profile deploy"],
    ),
    form(
        "~/.aws/credentials written by a heredoc",
        "cat > /root/.aws/credentials <<'CREDS'\n[default]\naws_access_key_id = AKIAEXAMPLEID0000052\naws_secret_access_key = Aws52IniSecret\nCREDS",
        &["Aws52IniSecret"],
        &["aws_access_key_id = AKIAEXAMPLEID0000052", "aws_secret_access_key = "],
    ),
    // keys
    form(
        "RSA private key block",
        "cat > /etc/ssl/private/app.key <<'KEY'\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpKey53LineOne\nKey53LineTwoBase64==\n-----END RSA PRIVATE KEY-----\nKEY",
        &["MIIEpKey53LineOne", "Key53LineTwoBase64"],
        &["-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"],
    ),
    form(
        "OpenSSH private key block",
        "cat > /home/ec2-user/.ssh/id_ed25519 <<'KEY'\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaKey54Body\n-----END OPENSSH PRIVATE KEY-----\nKEY",
        &["b3BlbnNzaKey54Body"],
        &["-----BEGIN OPENSSH PRIVATE KEY-----", "/home/ec2-user/.ssh/id_ed25519"],
    ),
    form(
        "openssl -passout pass:",
        "openssl pkcs12 -export -in /etc/ssl/app.pem -out /etc/ssl/app.p12 -passout pass:Ossl55Pw",
        &["Ossl55Pw"],
        &["-passout pass:", "-out /etc/ssl/app.p12"],
    ),
    form(
        "keytool store and key passwords",
        "keytool -importkeystore -srckeystore app.p12 -srcstorepass Kt56Src -destkeystore app.jks -deststorepass Kt56Dest",
        &["Kt56Src", "Kt56Dest"],
        &["-srcstorepass", "-destkeystore app.jks -deststorepass"],
    ),
    // accounts and services
    form(
        "passwd --stdin",
        "echo 'Passwd57Pw' | passwd --stdin ec2-user",
        &["Passwd57Pw"],
        &["passwd --stdin ec2-user"],
    ),
    form("useradd -p", "useradd -m -p 'Useradd58Hash' deploy2", &["Useradd58Hash"], &["useradd -m -p", "deploy2"]),
    form(
        "rabbitmqctl add_user",
        "rabbitmqctl add_user shop Rabbit59Pw",
        &["Rabbit59Pw"],
        &["rabbitmqctl add_user shop"],
    ),
    form("vault login TOKEN", "vault login hvs.Vault60Token", &["hvs.Vault60Token"], &["vault login"]),
    // assignments and files
    form("secret-named assignment", "export SESSION_SECRET=Sess61Value", &["Sess61Value"], &["SESSION_SECRET="]),
    form(
        "high-entropy value under a plain name",
        "export BUILD_REF=q8Z3x7Lm2Vn9Rt4Yp1Ks6Hd0Wf5Gc62",
        &["q8Z3x7Lm2Vn9Rt4Yp1Ks6Hd0Wf5Gc62"],
        &["BUILD_REF="],
    ),
    form(
        "systemd Environment= in a unit file",
        "cat > /etc/systemd/system/app.service <<'UNIT'\n[Service]\nEnvironment=\"API_TOKEN=Sysd63Tok\"\nUNIT",
        &["Sysd63Tok"],
        &["Environment=", "API_TOKEN="],
    ),
    form(
        "YAML password key",
        "cat > /etc/app/config.yml <<'YAML'\ndatabase:\n  host: db.example.internal\n  password: Yaml64Pw\nYAML",
        &["Yaml64Pw"],
        &["host: db.example.internal", "password: "],
    ),
    form(
        "JSON token key",
        "echo '{\"apiToken\": \"Json65Tok\", \"endpoint\": \"https://api.example.com\"}' > /etc/app/config.json",
        &["Json65Tok"],
        &["apiToken", "https://api.example.com"],
    ),
    form(
        "su -c with a quoted command",
        "su - app -c \"mysql -uapp -pSu66Pw shop -e 'select 1'\"",
        &["Su66Pw"],
        &["su - app -c", "mysql -uapp -p"],
    ),
    // not secrets: references and look-alikes stay as they are
    form("a $VAR reference after -p", "mysql -uapp -p$DB_PASS shop", &[], &["-p$DB_PASS shop"]),
    form("references in curl -u", "curl -u $CI_USER:$CI_PASS https://ci.example.com", &[], &["-u $CI_USER:$CI_PASS"]),
    form(
        "a command substitution as a password",
        "docker login -u AWS -p $(aws ecr get-login-password --region eu-west-1) 444455556666.dkr.ecr.eu-west-1.amazonaws.com",
        &[],
        &["-p $(aws ecr get-login-password --region eu-west-1)"],
    ),
    form(
        "port and user flags of other commands",
        "psql -h pg.example.internal -p 5432 -U app -l\nchown ec2-user:ec2-user /opt/app\nsudo -u ec2-user pm2 status",
        &[],
        &["-p 5432 -U app", "chown ec2-user:ec2-user /opt/app", "sudo -u ec2-user pm2 status"],
    ),
];
