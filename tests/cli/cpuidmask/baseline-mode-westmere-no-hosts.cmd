cpuidmask baseline --mode westmere
