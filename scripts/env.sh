# Sourced by the project's scripts: a JDK >= 21 as JAVA_HOME, and Maven quiet about JDK 25.
JAVA_HOME=$("$(dirname "${BASH_SOURCE[0]}")/find-java") || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
if ! command -v mvn >/dev/null 2>&1; then
  echo "Maven is missing; installing it with apt-get." >&2
  apt-get update -qq && apt-get install -y -qq maven >/dev/null || { echo "could not install Maven" >&2; exit 1; }
fi
