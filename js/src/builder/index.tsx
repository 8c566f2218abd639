import { createRender } from "@anywidget/react";
import { JobBuilderApp } from "./JobBuilderApp";

export default { render: createRender(JobBuilderApp) };
