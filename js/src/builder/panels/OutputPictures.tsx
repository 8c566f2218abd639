import type { RequestClient } from "../client";
import type { PictureKind } from "../pictures";
import { ClassGallery } from "./ClassGallery";
import { Micrograph } from "./Micrograph";
import { ParticleTiles } from "./ParticleTiles";
import { VolumeSlices } from "./VolumeSlices";

interface Props {
  client: RequestClient;
  job: string;
  output: string;
  kind: PictureKind;
  revision: number;
}

/** The pictures of one output, as `pictureKind` says it has them. */
export function OutputPictures({ client, job, output, kind, revision }: Props) {
  switch (kind) {
    case "gallery":
      return <ClassGallery client={client} job={job} output={output} />;
    case "tiles":
      return (
        <ParticleTiles
          client={client}
          source={{ job, side: "output", name: output, slot: "blob" }}
          revision={revision}
        />
      );
    case "micrograph":
      return <Micrograph client={client} job={job} output={output} />;
    case "volume":
      return <VolumeSlices client={client} job={job} output={output} />;
  }
}
