cpuidmask show /nonexistent/dump.txt
