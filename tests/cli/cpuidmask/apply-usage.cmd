cpuidmask apply tests/data/vmx/lf-plain.vmx
