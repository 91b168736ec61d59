sh tests/apply-crash.sh
