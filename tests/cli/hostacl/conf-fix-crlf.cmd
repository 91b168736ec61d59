cp tests/data/hostacl/conf/crlf.conf $CM_TMP/c.conf && cd $CM_TMP && hostacl conf --fix c.conf && od -c c.conf
