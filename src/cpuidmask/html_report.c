/*
 * html_report.c - one HTML page, no external assets: a matrix of groups of identical
 * hosts (rows, collapsed to one line each) against features (columns, grouped by CPUID
 * register), the baseline highlighted, limiting groups marked, sortable and filterable.
 * A cell is a feature the group has, lacks, or does not know (partial data such as vSphere
 * vectors: shown "?", never as absent). The data is embedded as JSON; a small script draws
 * the page. The view can be shared: the URL fragment holds it (#filter=avx512&sort=avx2&
 * open=3: filter text, the feature sorted by, a group whose hosts are listed), and the
 * page keeps the fragment up to date.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/file.h"
#include "cli.h"
#include "html_report.h"

#define NAMES_PER_GROUP 500	/* host names listed per group; the rest are counted */

/* A JSON string that is also safe inside <script> ("</" and "<!--" cannot appear). */
static void jstr(struct cm_buf *b, const char *s)
{
	cm_buf_puts(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			cm_buf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&' || *p >= 0x7f)
			cm_buf_printf(b, "\\u%04x", *p >= 0x7f ? 0xfffd : *p);
		else
			cm_buf_add(b, (const char *)p, 1);
	}
	cm_buf_puts(b, "\"");
}

static const char head[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<title>cpuidmask fleet report</title>\n<style>\n"
	"body{font:13px/1.4 system-ui,sans-serif;margin:1em;color:#222}\n"
	"h1{font-size:18px;margin:0 0 .3em}#summary{margin:.3em 0 .8em}\n"
	".vendor{margin:1em 0 .3em;font-weight:600}\n"
	"table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:1px 3px}\n"
	"th.f{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;cursor:pointer;"
	"white-space:nowrap;max-height:14em}\n"
	"th.reg{font-weight:normal;font-size:11px;background:#f4f4f4}\n"
	"th.base,td.base{background:#e6f4e6}td.y,td.u{text-align:center}td.y::after{content:'\\25CF'}\n"
	"td.u{background:#fff3c4;color:#8a6d00}td.u::after{content:'?'}\n"
	"tr.limit td.count{background:#fde0dc}tr.g{cursor:pointer}tr.hosts td{font-size:11px;"
	"color:#555}\nol.retire{font-size:13px;margin:.2em 0 .6em}\n#filter{width:22em;margin-right:1em}.note{color:#666}\n"
	"</style></head><body>\n<h1>cpuidmask fleet report</h1>\n<div id=\"summary\"></div>\n"
	"<div><input id=\"filter\" placeholder=\"filter features or hosts\"> <span class=\"note\">"
	"click a group to list its hosts; click a feature to sort; green columns are the "
	"baseline, red counts the groups that hold it down; \u25CF has it, ? unknown (the "
	"hosts' data does not give the bit: not in the baseline, not counted as lacking)</span>"
	"</div>\n<div id=\"matrix\"></div>\n"
	"<script type=\"application/json\" id=\"data\">";

static const char tail[] =
	"</script>\n<script>\n"
	"(function(){\n"
	"var MAXROWS=300;\n"
	"var D=JSON.parse(document.getElementById('data').textContent);\n"
	"var sum=document.getElementById('summary');\n"
	"sum.dataset.hosts=D.hosts;sum.dataset.groups=D.groups.length;\n"
	"sum.textContent=D.hosts+' hosts, '+D.groups.length+' groups of identical hosts, '+"
	"D.vendors.length+' vendor'+(D.vendors.length==1?'':'s');\n"
	"var filter='',sortBy=null,all=false,open=null;D.byId={};D.byName={};D.features.forEach(function(f){"
	"D.byId[f.id]=f;D.byName[f.name]=f.id;});\n"
	"D.groups.forEach(function(g){g.fs={};g.us={};g.f.forEach(function(i){g.fs[i]=1;});"
	"g.u.forEach(function(i){g.us[i]=1;});});\n"
	"function has(g,id){return g.fs[id]===1;}\nfunction unk(g,id){return g.us[id]===1;}\n"
	"location.hash.replace(/^#/,'').split('&').forEach(function(kv){var i=kv.indexOf('=');"
	"if(i<0)return;var k=kv.slice(0,i),v=decodeURIComponent(kv.slice(i+1));"
	"if(k=='filter')filter=v;else if(k=='sort'&&v in D.byName)sortBy=D.byName[v];"
	"else if(k=='open'&&/^[0-9]+$/.test(v))open=+v;});\n"
	"document.getElementById('filter').value=filter;\n"
	"function share(){var p=[];if(filter)p.push('filter='+encodeURIComponent(filter));"
	"if(sortBy!==null)p.push('sort='+encodeURIComponent(D.byId[sortBy].name));"
	"if(open!==null)p.push('open='+open);"
	"history.replaceState(null,'',p.length?'#'+p.join('&'):location.pathname+location.search);}\n"
	"function draw(){var m=document.getElementById('matrix');m.textContent='';\n"
	"D.vendors.forEach(function(v){\n"
	" var gs=D.groups.filter(function(g){return g.vendor==v.vendor;});\n"
	" var cols=D.features.filter(function(f){return gs.some(function(g){return has(g,f.id);})"
	"&&(!filter||f.name.indexOf(filter)>=0||gs.some(function(g){return g.label.indexOf(filter)>=0"
	"||g.names.some(function(n){return n.indexOf(filter)>=0;});}));});\n"
	" var rows=gs.filter(function(g){return !filter||cols.length||g.names.some(function(n){"
	"return n.indexOf(filter)>=0;});});\n"
	" if(sortBy!==null)rows.sort(function(a,b){return has(b,sortBy)-has(a,sortBy)||b.hosts-a.hosts;});\n"
	" var h=document.createElement('div');h.className='vendor';h.dataset.vendor=v.vendor;"
	"h.textContent=v.vendor+': '+v.hosts+' hosts, baseline of '+v.baseline.length+' features'+"
	"(v.unknown.length?', '+v.unknown.length+' more unknown on some hosts':'');"
	"m.appendChild(h);\n"
	" if(v.retire.length){var ol=document.createElement('ol');ol.className='retire';var seen=[];"
	"v.retire.forEach(function(s){var li=document.createElement('li');var add=s.gain.filter("
	"function(id){return seen.indexOf(id)<0;});seen=s.gain;li.textContent='without '+s.hosts+"
	"' host'+(s.hosts==1?'':'s')+' (retire '+s.groups.map(function(i){return D.groups[i].example;})"
	".join('; ')+'): baseline +'+s.gain.length+': '+add.map(function(id){return D.byId[id].name;})"
	".join(' ');ol.appendChild(li);});var p=document.createElement('div');p.className='note';"
	"p.textContent='retiring the fewest hosts first (cumulative):';m.appendChild(p);m.appendChild(ol);}\n"
	" var t=document.createElement('table');var r1=t.insertRow(),r2=t.insertRow();\n"
	" var c=document.createElement('th');c.rowSpan=2;c.textContent='hosts';c.style.cursor='pointer';"
	"c.onclick=function(){sortBy=null;share();draw();};r1.appendChild(c);\n"
	" c=document.createElement('th');c.rowSpan=2;c.textContent='group';r1.appendChild(c);\n"
	" var last=null,span=null;cols.forEach(function(f){if(f.reg!==last){span=document.createElement('th');"
	"span.className='reg';span.colSpan=0;span.textContent=f.reg;r1.appendChild(span);last=f.reg;}"
	"span.colSpan++;var th=document.createElement('th');th.className='f'+(v.baseline.indexOf(f.id)>=0?' base':'');"
	"th.title=f.label;th.textContent=f.name;th.onclick=function(){sortBy=f.id;share();draw();};r2.appendChild(th);});\n"
	" var more=all?0:rows.length-MAXROWS;if(more>0)rows=rows.slice(0,MAXROWS);\n"
	" rows.forEach(function(g){var r=t.insertRow();r.className='g'+(v.limiting.indexOf(g.id)>=0?' limit':'');"
	"r.dataset.group=g.id;var a=r.insertCell();a.className='count';a.textContent=g.hosts;"
	"var b=r.insertCell();b.textContent=g.label+' \\u2014 '+g.example;"
	"var base={};v.baseline.forEach(function(i){base[i]=1;});"
	"cols.forEach(function(f){var d=r.insertCell();var c=base[f.id]?['base']:[];"
	"if(has(g,f.id))c.push('y');else if(unk(g,f.id)){c.push('u');d.title='unknown';}"
	"if(c.length)d.className=c.join(' ');});\n"
	"  function expand(){var x=t.insertRow(r.rowIndex+1);x.className='hosts';var d=x.insertCell();d.colSpan=cols.length+2;"
	"d.textContent=g.names.join(', ')+(g.hosts>g.names.length?' \\u2026 and '+(g.hosts-g.names.length)+' more':'');}\n"
	"  r.onclick=function(){var n=r.nextSibling;if(n&&n.className=='hosts'){n.remove();open=null;share();return;}"
	"expand();open=g.id;share();};if(open===g.id)expand();});\n"
	" m.appendChild(t);if(more>0){var s=document.createElement('a');s.href='#';s.className='more';"
	"s.textContent='show '+more+' more groups';s.onclick=function(e){e.preventDefault();all=true;draw();};"
	"m.appendChild(s);}});}\n"
	"document.getElementById('filter').oninput=function(e){filter=e.target.value;share();draw();};\n"
	"draw();})();\n</script>\n</body></html>\n";

int html_report(const char *path, const cm_fleet *f)
{
	struct cm_buf b;
	cm_buf_init(&b, (size_t)1 << 30);
	cm_buf_puts(&b, head);
	cm_buf_printf(&b, "{\"hosts\":%zu,\"features\":[", cm_fleet_host_count(f));
	/* the columns: features some group has */
	struct cm_fset any = { { 0 } };
	for (size_t g = 0; g < cm_fleet_group_count(f); g++)
		cm_fset_or(&any, &cm_fleet_group_at(f, g)->features);
	bool first = true;
	for (long id = cm_fset_next(&any, 0); id >= 0; id = cm_fset_next(&any, (size_t)id + 1)) {
		const struct cm_feature *ft = cm_feature_at((size_t)id);
		char reg[48];
		if (ft->subleaf != CM_NO_SUBLEAF && ft->subleaf != 0)
			snprintf(reg, sizeof reg, "%#x.%u %s", ft->leaf, ft->subleaf, cm_reg_name(ft->reg));
		else
			snprintf(reg, sizeof reg, "%#x %s", ft->leaf, cm_reg_name(ft->reg));
		cm_buf_printf(&b, "%s{\"id\":%ld,\"name\":", first ? "" : ",", id);
		jstr(&b, ft->name);
		cm_buf_puts(&b, ",\"label\":");
		jstr(&b, ft->label);
		cm_buf_puts(&b, ",\"reg\":");
		jstr(&b, reg);
		cm_buf_puts(&b, "}");
		first = false;
	}
	/* the groups, with up to NAMES_PER_GROUP host names each */
	size_t ng = cm_fleet_group_count(f);
	size_t *shown = calloc(ng ? ng : 1, sizeof *shown);
	char **names = calloc(ng ? ng : 1, sizeof *names);
	struct cm_buf *nb = calloc(ng ? ng : 1, sizeof *nb);
	int rc = 0;
	if (!shown || !names || !nb) {
		rc = error("out of memory");
		goto out;
	}
	for (size_t h = 0; h < cm_fleet_host_count(f); h++) {
		size_t g = cm_fleet_host_group(f, h);
		if (shown[g] == NAMES_PER_GROUP)
			continue;
		if (shown[g]++)
			cm_buf_puts(&nb[g], ",");
		jstr(&nb[g], cm_fleet_host_name(f, h));
	}
	cm_buf_puts(&b, "],\"groups\":[");
	for (size_t g = 0; g < ng; g++) {
		const struct cm_fleet_group *grp = cm_fleet_group_at(f, g);
		cm_buf_printf(&b, "%s{\"id\":%zu,\"hosts\":%zu,\"vendor\":\"%s\",\"label\":", g ? "," : "",
			      g, grp->hosts, cm_vendor_name(grp->vendor));
		char label[128];
		group_label(grp, label, sizeof label);
		jstr(&b, label);
		cm_buf_puts(&b, ",\"example\":");
		jstr(&b, cm_fleet_host_name(f, grp->first));
		cm_buf_puts(&b, ",\"f\":[");
		bool f1 = true;
		for (long id = cm_fset_next(&grp->features, 0); id >= 0;
		     id = cm_fset_next(&grp->features, (size_t)id + 1)) {
			cm_buf_printf(&b, "%s%ld", f1 ? "" : ",", id);
			f1 = false;
		}
		cm_buf_puts(&b, "],\"u\":[");
		f1 = true;
		for (long id = cm_fset_next(&grp->unknown, 0); id >= 0;
		     id = cm_fset_next(&grp->unknown, (size_t)id + 1)) {
			cm_buf_printf(&b, "%s%ld", f1 ? "" : ",", id);
			f1 = false;
		}
		cm_buf_puts(&b, "],\"names\":[");
		if (nb[g].len)
			cm_buf_add(&b, nb[g].data, nb[g].len);
		cm_buf_puts(&b, "]}");
	}
	/* per vendor: the baseline and the limiting groups */
	cm_buf_puts(&b, "],\"vendors\":[");
	static const enum cm_vendor vendors[] = { CM_VENDOR_INTEL, CM_VENDOR_AMD, CM_VENDOR_HYGON,
						  CM_VENDOR_CENTAUR, CM_VENDOR_ZHAOXIN, CM_VENDOR_OTHER,
						  CM_VENDOR_UNKNOWN };
	bool v1 = true;
	for (size_t vi = 0; vi < sizeof vendors / sizeof vendors[0]; vi++) {
		size_t hosts = 0;
		for (size_t g = 0; g < ng; g++)
			if (cm_fleet_group_at(f, g)->vendor == vendors[vi])
				hosts += cm_fleet_group_at(f, g)->hosts;
		if (!hosts)
			continue;
		struct cm_fset base;
		cm_fleet_baseline(f, vendors[vi], &base);
		cm_buf_printf(&b, "%s{\"vendor\":\"%s\",\"hosts\":%zu,\"baseline\":[", v1 ? "" : ",",
			      cm_vendor_name(vendors[vi]), hosts);
		bool f1 = true;
		for (long id = cm_fset_next(&base, 0); id >= 0; id = cm_fset_next(&base, (size_t)id + 1)) {
			cm_buf_printf(&b, "%s%ld", f1 ? "" : ",", id);
			f1 = false;
		}
		cm_buf_puts(&b, "],\"unknown\":[");
		struct cm_fset unknown;
		cm_fleet_unknown(f, vendors[vi], &unknown, NULL);
		f1 = true;
		for (long id = cm_fset_next(&unknown, 0); id >= 0;
		     id = cm_fset_next(&unknown, (size_t)id + 1)) {
			cm_buf_printf(&b, "%s%ld", f1 ? "" : ",", id);
			f1 = false;
		}
		cm_buf_puts(&b, "],\"limiting\":[");
		struct cm_fleet_gain *gains;
		size_t n;
		if (cm_fleet_limiting(f, vendors[vi], 50, &gains, &n) == 0) {
			for (size_t i = 0; i < n; i++)
				cm_buf_printf(&b, "%s%zu", i ? "," : "", gains[i].group);
			free(gains);
		}
		cm_buf_puts(&b, "],\"retire\":[");
		struct cm_fleet_ladder l;
		if (cm_fleet_ladder(f, vendors[vi], 20, &l) == 0) {
			size_t from = 0;
			for (size_t i = 0; i < l.nsteps; i++) {
				cm_buf_printf(&b, "%s{\"hosts\":%zu,\"groups\":[", i ? "," : "",
					      l.steps[i].hosts);
				for (size_t g = from; g < l.steps[i].groups; g++)
					cm_buf_printf(&b, "%s%zu", g > from ? "," : "", l.groups[g]);
				cm_buf_puts(&b, "],\"gain\":[");
				f1 = true;
				for (long id = cm_fset_next(&l.steps[i].gain, 0); id >= 0;
				     id = cm_fset_next(&l.steps[i].gain, (size_t)id + 1)) {
					cm_buf_printf(&b, "%s%ld", f1 ? "" : ",", id);
					f1 = false;
				}
				cm_buf_puts(&b, "]}");
				from = l.steps[i].groups;
			}
			cm_fleet_ladder_free(&l);
		}
		cm_buf_puts(&b, "]}");
		v1 = false;
	}
	cm_buf_puts(&b, "]}");
	cm_buf_puts(&b, tail);
	if (b.err)
		rc = error("%s: the report is too large to build", path);
	else if (file_replace(path, b.data, b.len))
		rc = -1;
out:
	for (size_t g = 0; nb && g < ng; g++)
		cm_buf_free(&nb[g]);
	free(nb);
	free(names);
	free(shown);
	cm_buf_free(&b);
	return rc;
}
