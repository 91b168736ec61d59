cp tests/data/hostacl/conf/seed.conf $CM_TMP/apt-cacher.conf && cd $CM_TMP && hostacl conf --dry-run --replace apt-cacher.conf
