# libxml2 is loaded only when XML is read; when it cannot be loaded (the fault shim makes
# dlopen fail as for a library that is not installed), reading XML is a clear error (exit 2),
# and a fleet lists the XML file as unreadable but reads the rest (exit 1)
CM_FAULT=dlopen:1:fail LD_PRELOAD="$CM_LIBFAULT" cpuidmask show tests/data/formats/libvirt/core-i7-3770.xml; echo "exit $?"
CM_FAULT=dlopen:1:fail LD_PRELOAD="$CM_LIBFAULT" cpuidmask fleet tests/data/formats/libvirt/core-i7-3770.xml tests/data/dumps/core-i7-3770.dump >"$CM_TMP/fleet"; echo "exit $?"; head -1 "$CM_TMP/fleet"
