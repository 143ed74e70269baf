// The link chart (templates/profiles/_chart.html): draws a record's neighbourhood with
// Cytoscape.js and keeps the table of links beside it in step. Changing a filter fetches
// the chart's JSON again (`data-chart-url`) without reloading the page. Without this
// script the form still works: it sends the browser to the /chart/{id} page.
//
// Everything is built with DOM methods and `textContent` (never HTML strings), and all
// styling is done through the CSSOM, which the Content-Security-Policy allows.
import cytoscape from "/static/vendor/cytoscape/cytoscape.esm.min.mjs";

// Colour and shape by kind of record; the legend under the chart says the same in words.
const KINDS = {
  person: { colour: "#1d70b8", shape: "ellipse" },
  organisation: { colour: "#d4351c", shape: "hexagon" },
  phone: { colour: "#00703c", shape: "diamond" },
  vehicle: { colour: "#f47738", shape: "round-rectangle" },
  location: { colour: "#4c2c92", shape: "triangle" },
  county_line: { colour: "#d53880", shape: "star" },
};
const FONT = '"GDS Transport", arial, sans-serif';

// Cytoscape adds a <style> element to <head> unless one with this id exists; the CSP
// refuses inline <style>, so claim the id and set what it would have set (position:
// relative on the container) through the CSSOM instead.
function claimCytoscapeStylesheet() {
  const id = "__________cytoscape_stylesheet";
  if (!document.getElementById(id)) {
    const marker = document.createElement("meta");
    marker.id = id;
    document.head.appendChild(marker);
  }
}

// On a phone the chart is narrow: links carry no words on the picture (the table of links
// below the chart names each one) and names wrap shorter, so the labels stay readable.
function chartStyle(narrow) {
  const style = [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "font-family": FONT,
        "font-size": 11,
        color: "#0b0c0c",
        "text-valign": "bottom",
        "text-margin-y": 4,
        "text-wrap": "wrap",
        "text-max-width": narrow ? 84 : 120,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": 1,
        width: 26,
        height: 26,
        "background-color": "#505a5f",
      },
    },
    {
      selector: "node[?centre]",
      style: { width: 38, height: 38, "border-width": 4, "border-color": "#0b0c0c" },
    },
    {
      selector: "edge",
      style: {
        label: narrow ? "" : "data(label)",
        "font-family": FONT,
        "font-size": 9,
        color: "#383f43",
        width: 2,
        "line-color": "#505a5f",
        "target-arrow-color": "#505a5f",
        "target-arrow-shape": "triangle",
        "curve-style": "bezier",
        "text-rotation": "autorotate",
        "text-background-color": "#ffffff",
        "text-background-opacity": 1,
        "text-background-padding": 1,
      },
    },
  ];
  for (const [kind, { colour, shape }] of Object.entries(KINDS)) {
    style.push({
      selector: `node[kind = "${kind}"]`,
      style: { "background-color": colour, shape },
    });
  }
  return style;
}

const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

// "2024-03-01" as GOV.UK writes it: "1 March 2024".
function ukDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

// Labels keep the same size on screen whatever the zoom (between 11 and 14 pixels for
// records, 9 and 12 for links), so a zoomed-out chart of many records stays readable
// and a zoomed-in one does not shout. Cytoscape sizes text in model units: divide by
// the zoom. Below a quarter zoom the link labels hide (they would only overlap).
function fitLabels(cy) {
  const zoom = cy.zoom();
  cy.batch(() => {
    cy.nodes().style("font-size", Math.min(14, Math.max(11, 11 / zoom)) / zoom);
    cy.nodes().style("text-max-width", 140 / zoom);
    cy.edges().style("font-size", Math.min(12, Math.max(9, 9 / zoom)) / zoom);
    cy.edges().style("text-opacity", zoom < 0.45 ? 0 : 1);
  });
}

function words(linkType) {
  return linkType.replaceAll("_", " ");
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

class LinkChart {
  constructor(section) {
    this.section = section;
    this.form = section.querySelector("[data-chart-form]");
    this.box = section.querySelector("[data-chart-url]");
    this.status = section.querySelector("[data-chart-status]");
    this.table = section.querySelector("[data-chart-table]");
    this.truncated = section.querySelector("[data-chart-truncated]");
    this.legend = section.querySelector("[data-chart-legend]");
    this.picture = section.querySelector("[data-chart-png]");
    this.cy = null;
    this.asked = 0; // the latest request: answers to older ones are ignored
    this.timer = null;
  }

  start() {
    // The "see every link in a table" link is for browsers without this script.
    this.section.querySelector("[data-chart-nojs]")?.remove();
    const box = this.box;
    box.hidden = false;
    if (this.legend) this.legend.hidden = false;
    box.style.position = "relative";
    box.style.height = `${Math.round(Math.max(320, Math.min(window.innerHeight * 0.7, 640)))}px`;
    box.style.border = "1px solid #b1b4b6";
    box.style.marginBottom = "15px";
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.load();
    });
    this.form.addEventListener("change", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.load(), 250);
    });
    if (this.picture) {
      // A picture of the chart as drawn now (the files beside it come from the server).
      this.picture.hidden = false;
      this.picture.addEventListener("click", () => this.savePicture());
    }
    if (box.dataset.chartData) {
      this.show(JSON.parse(box.dataset.chartData));
      delete box.dataset.chartData;
    } else {
      this.load();
    }
  }

  params() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(this.form)) {
      if (typeof value === "string" && value.trim()) params.append(name, value.trim());
    }
    return params;
  }

  async load() {
    const asked = ++this.asked;
    const params = this.params();
    this.box.setAttribute("aria-busy", "true");
    this.status.textContent = "Loading the chart…";
    let data = null;
    let problem = null;
    try {
      const reply = await fetch(`${this.box.dataset.chartUrl}?${params}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const type = reply.headers.get("content-type") || "";
      if (!type.includes("json")) {
        problem = "You have been signed out. Reload the page to sign in again.";
      } else if (!reply.ok) {
        const body = await reply.json();
        problem = (body.errors || []).map((e) => `${e.location}: ${e.expected}`).join("; ");
        problem = `The chart could not be shown: ${problem || body.detail}.`;
      } else {
        data = await reply.json();
      }
    } catch {
      problem = "The chart could not be loaded. Check your connection and try again.";
    }
    if (asked !== this.asked) return;
    this.box.removeAttribute("aria-busy");
    if (problem) {
      this.status.textContent = problem;
      return;
    }
    this.show(data);
    // On the chart's own page, keep the address in step so a reload or a link keeps
    // the filters; on a profile page the address stays the profile's.
    if (new URL(this.form.action).pathname === window.location.pathname) {
      window.history.replaceState(null, "", `${window.location.pathname}?${params}`);
    }
  }

  show(data) {
    this.draw(data);
    this.tabulate(data);
    const summary = `${plural(data.nodes.length, "record")} and ${plural(data.edges.length, "link")}`;
    this.status.textContent = `Showing ${summary}.`;
    this.box.setAttribute(
      "aria-label",
      `Link chart of ${summary}: the same as the table of links below`,
    );
    if (this.truncated) this.truncated.hidden = !data.truncated;
  }

  draw(data) {
    const elements = [
      ...data.nodes.map((node) => ({
        group: "nodes",
        data: {
          id: String(node.id),
          label: node.label,
          kind: node.kind,
          url: node.url || "",
          centre: node.id === data.centre,
        },
      })),
      ...data.edges.map((edge) => ({
        group: "edges",
        data: {
          id: `link-${edge.id}`,
          source: String(edge.source),
          target: String(edge.target),
          label: words(edge.type),
        },
      })),
    ];
    if (this.cy) this.cy.destroy();
    this.cy = cytoscape({
      container: this.box,
      elements,
      style: chartStyle(window.matchMedia("(max-width: 480px)").matches),
      layout: { name: "cose", animate: false, nodeDimensionsIncludeLabels: true, padding: 24 },
      minZoom: 0.2,
      maxZoom: 3,
    });
    this.cy.on("tap", "node", (event) => {
      const url = event.target.data("url");
      if (url) window.location.assign(url);
    });
    this.cy.on("mouseover", "node", (event) => {
      this.box.style.cursor = event.target.data("url") ? "pointer" : "default";
    });
    this.cy.on("mouseout", "node", () => {
      this.box.style.cursor = "default";
    });
    fitLabels(this.cy);
    this.cy.on("zoom", () => fitLabels(this.cy));
    this.box.dataset.nodeCount = String(this.cy.nodes().length);
    this.box.dataset.edgeCount = String(this.cy.edges().length);
  }

  savePicture() {
    if (!this.cy) return;
    // Record the export first (the audit log names every record on the chart).
    const form = new FormData(this.form);
    const sent = new URLSearchParams();
    sent.set("csrf_token", this.picture.dataset.csrf || "");
    sent.set("depth", form.get("depth") || "1");
    sent.set("type", form.getAll("type").join(","));
    sent.set("from", form.get("from") || "");
    sent.set("to", form.get("to") || "");
    fetch(this.picture.dataset.pictureUrl, { method: "POST", body: sent, credentials: "same-origin" });
    const link = document.createElement("a");
    link.href = this.cy.png({ full: true, scale: 2, bg: "#ffffff" });
    link.download = `link-chart-${this.box.dataset.chartCentre || "chart"}.png`;
    document.body.append(link);
    link.click();
    link.remove();
  }

  tabulate(data) {
    const nodes = new Map(data.nodes.map((node) => [node.id, node]));
    const body = this.table.tBodies[0];
    const rows = data.edges.map((edge) => {
      const row = document.createElement("tr");
      row.className = "govuk-table__row";
      const role = edge.role ? ` (${edge.role})` : "";
      const dates =
        edge.valid_from || edge.valid_to
          ? `${edge.valid_from ? ukDate(edge.valid_from) : "…"} to ${
              edge.valid_to ? ukDate(edge.valid_to) : "now"
            }`
          : "Not recorded";
      row.append(
        recordCell(nodes.get(edge.source)),
        textCell(`${words(edge.type)}${role}`),
        recordCell(nodes.get(edge.target)),
        textCell(dates),
      );
      return row;
    });
    if (!rows.length) {
      const cell = textCell("No links that you may see match these filters.");
      cell.colSpan = 4;
      const row = document.createElement("tr");
      row.className = "govuk-table__row";
      row.append(cell);
      rows.push(row);
    }
    body.replaceChildren(...rows);
    this.table.hidden = false;
    const pane = this.table.closest("[data-chart-pane]");
    if (pane) pane.hidden = false;
  }
}

function textCell(text) {
  const cell = document.createElement("td");
  cell.className = "govuk-table__cell";
  cell.textContent = text;
  return cell;
}

function recordCell(node) {
  if (!node.url) return textCell(node.label);
  const cell = textCell("");
  const link = document.createElement("a");
  link.className = "govuk-link";
  link.href = node.url;
  link.textContent = node.label;
  cell.append(link);
  return cell;
}

claimCytoscapeStylesheet();
for (const section of document.querySelectorAll("section.tl-link-chart")) {
  const chart = new LinkChart(section);
  if (chart.form && chart.box && chart.status && chart.table) chart.start();
}
