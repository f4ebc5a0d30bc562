{{%AUTOESCAPE context="HTML"}}{{! nodes.html.tpl - energy per node and component (kWh). }}
<section>
<h2>Energy per node</h2>
<div class="scroll">
<table class="numbers">
<thead><tr><th scope="col">Node</th>{{#COL}}<th scope="col">{{LABEL}}</th>{{/COL}}<th scope="col">Avg power</th><th scope="col">Input coverage</th></tr></thead>
<tbody>
{{#NODE}}<tr><th scope="row">{{HOST}}{{#NO_SOURCE}} <span class="note">no telemetry source</span>{{/NO_SOURCE}}</th>{{#CELL}}<td>{{V}}</td>{{/CELL}}<td>{{AVG}}</td><td class="{{COV_CLASS}}">{{COVERAGE}}</td></tr>
{{/NODE}}</tbody>
</table>
</div>
<p class="note">kWh per component; Total is the wall (SystemInputPower) energy.</p>
</section>
