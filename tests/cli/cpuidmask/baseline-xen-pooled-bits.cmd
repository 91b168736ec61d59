# MD_CLEAR is on the Cascade Lake only: Xen ORs it across a pool, so the Xen mask leaves it
# (leaf 7 EDX bit 10 stays x) and -v lists it as left to the hypervisor; the x87 bits too
cpuidmask baseline -t xen -v tests/data/dumps/xeon-gold-6148.dump tests/data/dumps/xeon-platinum-8268.dump
