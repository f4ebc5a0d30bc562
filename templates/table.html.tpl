{{%AUTOESCAPE context="HTML"}}{{! table.html.tpl - one table of numbers (per node, per GPU, coverage,
    gaps): text columns left-aligned, numbers right-aligned, coverage cells
    shaded when below the threshold, and a note on what it leaves out. }}
<div class="scroll">
<table class="numbers">
<thead><tr>{{#COL}}<th scope="col" class="{{ALIGN}}">{{LABEL}}</th>{{/COL}}</tr></thead>
<tbody>
{{#ROW}}<tr{{#TOTAL}} class="total"{{/TOTAL}}>{{#NAME}}<th scope="row">{{V}}</th>{{/NAME}}{{#CELL}}<td class="{{ALIGN}} {{TONE}}">{{V}}</td>{{/CELL}}</tr>
{{/ROW}}</tbody>
</table>
</div>
{{#HAS_NOTE}}<p class="note">{{NOTE}}</p>{{/HAS_NOTE}}
