# the report cannot be written: exit 2, and the text report still printed
cpuidmask fleet --html /nonexistent-dir/report.html tests/data/dumps/core-i7-3770.dump
