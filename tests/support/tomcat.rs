//! A real Apache Tomcat 10 for a test (Debian's `tomcat10-common` and `libtomcat10-java`, run from a
//! `CATALINA_BASE` in a temp dir): the default `UserDatabaseRealm` reading `conf/tomcat-users.xml`, and one
//! web application with BASIC sign-in whose security constraints ask for roles.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::process::{Identity, Launch, Running, make_world_readable, write_file};

/// Where Debian installs Tomcat (`CATALINA_HOME`).
const CATALINA_HOME: &str = "/usr/share/tomcat10";
/// A JVM and Tomcat start slowly on a busy 2-core machine.
const TOMCAT_START_TIMEOUT: Duration = Duration::from_secs(90);

/// A running Tomcat on `127.0.0.1`; dropping it stops the JVM and deletes its temp dir.
///
/// The application at `/` serves `members/` to the role `staff` and `admin/` to the role `manager`, both
/// with BASIC auth in the realm [`Tomcat::REALM`]; `open/` is public.
pub struct Tomcat {
    server: Running,
}

impl Tomcat {
    /// The realm named in the application's `login-config`.
    pub const REALM: &str = "AuthDoctor Tomcat";

    /// Starts Tomcat with `users` (name, password, comma-separated roles) in `tomcat-users.xml`.
    pub fn start(users: &[(&str, &str, &str)]) -> Self {
        let java = super::require_program("java", "default-jre-headless");
        assert!(
            Path::new(CATALINA_HOME).join("bin/bootstrap.jar").exists(),
            "this test needs Tomcat: install it with `apt-get install tomcat10-common libtomcat10-java` \
             (scripts/test.sh does this)"
        );
        let root = Running::temp_dir("tomcat");
        let base = root.path().to_owned();
        let mut users_xml = String::new();
        for (user, password, roles) in users {
            let _ = writeln!(
                users_xml,
                "  <user username=\"{user}\" password=\"{password}\" roles=\"{roles}\"/>"
            );
        }
        write_file(
            &base.join("conf/tomcat-users.xml"),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                 <tomcat-users xmlns=\"http://tomcat.apache.org/xml\" version=\"1.0\">\n\
                 \x20 <role rolename=\"staff\"/>\n  <role rolename=\"manager\"/>\n{users_xml}</tomcat-users>\n"
            )
            .as_bytes(),
        );
        write_file(&base.join("conf/web.xml"), DEFAULT_WEB_XML.as_bytes());
        let app = base.join("webapps/ROOT");
        write_file(&app.join("WEB-INF/web.xml"), APP_WEB_XML.as_bytes());
        for page in [
            "index.html",
            "open/index.html",
            "members/index.html",
            "admin/index.html",
        ] {
            write_file(&app.join(page), format!("tomcat {page}\n").as_bytes());
        }
        for directory in ["logs", "temp", "work"] {
            std::fs::create_dir_all(base.join(directory))
                .unwrap_or_else(|error| panic!("cannot create Tomcat's {directory}: {error}"));
        }
        make_world_readable(&base);

        let config_path = base.join("conf/server.xml");
        let server = Running::start(root, |port| {
            write_file(&config_path, server_xml(port).as_bytes());
            let mut command = Command::new(&java);
            command
                .arg("-cp")
                .arg(format!(
                    "{CATALINA_HOME}/bin/bootstrap.jar:{CATALINA_HOME}/bin/tomcat-juli.jar"
                ))
                .arg(format!("-Dcatalina.home={CATALINA_HOME}"))
                .arg(format!("-Dcatalina.base={}", base.display()))
                .arg(format!("-Djava.io.tmpdir={}", base.join("temp").display()))
                // A small, quick-starting JVM: these tests send a handful of requests.
                .args([
                    "-Xms32m",
                    "-Xmx192m",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Xshare:auto",
                    "org.apache.catalina.startup.Bootstrap",
                    "start",
                ]);
            Launch {
                name: "tomcat",
                command,
                port,
                // Tomcat sends no Server header; its error pages name it.
                identity: Identity::BodyContains("Apache Tomcat"),
                start_timeout: TOMCAT_START_TIMEOUT,
                output_path: base.join("logs/catalina.out"),
                error_log_path: base.join("logs/catalina.out"),
                config_path: config_path.clone(),
            }
        });
        Self { server }
    }

    /// The full URL of `path`, e.g. `http://127.0.0.1:4321/members/`.
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }
}

/// `conf/server.xml`: one HTTP connector on loopback, no shutdown port, the default user database realm.
fn server_xml(port: u16) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by tests/support/tomcat.rs for one test. -->
<Server port="-1" shutdown="SHUTDOWN">
  <GlobalNamingResources>
    <Resource name="UserDatabase" auth="Container" type="org.apache.catalina.UserDatabase"
              factory="org.apache.catalina.users.MemoryUserDatabaseFactory"
              pathname="conf/tomcat-users.xml" readonly="true"/>
  </GlobalNamingResources>
  <Service name="Catalina">
    <Connector address="127.0.0.1" port="{port}" protocol="HTTP/1.1" connectionTimeout="20000"/>
    <Engine name="Catalina" defaultHost="localhost">
      <Realm className="org.apache.catalina.realm.LockOutRealm">
        <Realm className="org.apache.catalina.realm.UserDatabaseRealm" resourceName="UserDatabase"/>
      </Realm>
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false"/>
    </Engine>
  </Service>
</Server>
"#
    )
}

/// `conf/web.xml`: the default servlet for static files (what Tomcat's own default config declares).
const DEFAULT_WEB_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
  <servlet>
    <servlet-name>default</servlet-name>
    <servlet-class>org.apache.catalina.servlets.DefaultServlet</servlet-class>
    <load-on-startup>1</load-on-startup>
  </servlet>
  <servlet-mapping>
    <servlet-name>default</servlet-name>
    <url-pattern>/</url-pattern>
  </servlet-mapping>
  <mime-mapping>
    <extension>html</extension>
    <mime-type>text/html</mime-type>
  </mime-mapping>
  <welcome-file-list>
    <welcome-file>index.html</welcome-file>
  </welcome-file-list>
</web-app>
"#;

/// The application's `WEB-INF/web.xml`: `members/` for `staff`, `admin/` for `manager`, BASIC sign-in.
const APP_WEB_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
  <security-constraint>
    <web-resource-collection>
      <web-resource-name>Members</web-resource-name>
      <url-pattern>/members/*</url-pattern>
    </web-resource-collection>
    <auth-constraint>
      <role-name>staff</role-name>
    </auth-constraint>
  </security-constraint>
  <security-constraint>
    <web-resource-collection>
      <web-resource-name>Administration</web-resource-name>
      <url-pattern>/admin/*</url-pattern>
    </web-resource-collection>
    <auth-constraint>
      <role-name>manager</role-name>
    </auth-constraint>
  </security-constraint>
  <login-config>
    <auth-method>BASIC</auth-method>
    <realm-name>AuthDoctor Tomcat</realm-name>
  </login-config>
  <security-role>
    <role-name>staff</role-name>
  </security-role>
  <security-role>
    <role-name>manager</role-name>
  </security-role>
</web-app>
"#;
