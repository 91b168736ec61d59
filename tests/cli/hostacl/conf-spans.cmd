hostacl conf tests/data/hostacl/conf/spans.conf
